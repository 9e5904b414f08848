namespace EspacePro.Web.Observability;

/// <summary>Section "Telemetry": export to an OpenTelemetry collector.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>OTLP endpoint (http://collector:4317); unset, nothing is exported (the default).</summary>
    public Uri? OtlpEndpoint { get; set; }
}
