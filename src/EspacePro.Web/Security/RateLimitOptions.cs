using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Security;

/// <summary>Section "RateLimit": requests per client address on the pages open to anyone.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>False only for automated tests and benchmarks that replay many users from one address.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests one address may make at once before it has to wait (the bucket's size).</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimit:Burst must be between 1 and 1000000.")]
    public int Burst { get; set; } = 120;

    /// <summary>Requests per minute one address may go on making once its burst is spent.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimit:PerMinute must be between 1 and 1000000.")]
    public int PerMinute { get; set; } = 60;
}
