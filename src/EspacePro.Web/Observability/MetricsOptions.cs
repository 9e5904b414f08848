namespace EspacePro.Web.Observability;

/// <summary>Section "Metrics": the Prometheus scrape endpoint.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// Comma-separated addresses or CIDR ranges allowed to read /metrics; everyone else gets 404.
    /// Set empty, nobody reads it.
    /// </summary>
    public string? AllowedNetworks { get; set; } = "127.0.0.0/8,::1";
}
