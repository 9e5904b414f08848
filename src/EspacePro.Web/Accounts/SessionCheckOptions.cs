using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Accounts;

/// <summary>Section "Security": how long a node trusts its last read of a session (<see cref="SessionCheckCache"/>).</summary>
public sealed class SessionCheckOptions
{
    public const string Section = "Security";

    /// <summary>Zero reads the database on every request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Security:SessionCheckCache must be between {1} and {2}.")]
    public TimeSpan SessionCheckCache { get; set; } = TimeSpan.FromSeconds(5);
}
