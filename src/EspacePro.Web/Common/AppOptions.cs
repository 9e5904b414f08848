using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Common;

/// <summary>Section "App" of the configuration (the README's settings table).</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>
    /// Base of every link put in an e-mail. Never taken from the Host header (docs/security.md R13);
    /// in Development only, the request's own origin is used when it is not set.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Folder for the SQLite file and the mail folder; relative to the content root.</summary>
    [Required(ErrorMessage = "App:DataDirectory is required.")]
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>
    /// A TLS-terminating proxy on this machine: trusts <c>X-Forwarded-*</c> from the loopback
    /// addresses (127.0.0.0/8, ::1), as if they were listed in <see cref="KnownNetworks"/>.
    /// </summary>
    public bool BehindProxy { get; set; }

    /// <summary>Comma-separated addresses of the proxies whose <c>X-Forwarded-*</c> headers are honoured.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Comma-separated CIDR ranges (10.0.0.0/24) of the proxies whose <c>X-Forwarded-*</c> headers are honoured.</summary>
    public string? KnownNetworks { get; set; }

    /// <summary>How many trusted hops of <c>X-Forwarded-For</c> are read, from the right.</summary>
    [Range(1, 10, ErrorMessage = "App:ForwardLimit must be between 1 and 10.")]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>The periodic clean-up of expired rows; false for tests, which run it themselves.</summary>
    public bool BackgroundHousekeeping { get; set; } = true;

    /// <summary>How long the clean-up waits between two runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "App:HousekeepingInterval must be between {1} and {2}.")]
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromMinutes(10);
}
