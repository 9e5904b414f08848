using EspacePro.Web.Common;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EspacePro.Web.Observability;

public static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The meters exposed: ASP.NET Core's, the runtime's, Npgsql's and the service's own.</summary>
    private static readonly string[] Meters =
    [
        ServiceMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Runtime",
    ];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => IpRanges.Split(o.AllowedNetworks).All(e => IpRanges.TryParse(e, allowSingleAddress: true, out _)),
                "Metrics:AllowedNetworks must be comma-separated addresses or CIDR ranges (127.0.0.0/8,::1), with zero bits after each prefix.")
            .ValidateOnStart();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => o.OtlpEndpoint is null || o.OtlpEndpoint is { IsAbsoluteUri: true, Scheme: "http" or "https" },
                "Telemetry:OtlpEndpoint must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddSingleton<ServiceMetrics>();

        var otlp = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.OtlpEndpoint;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("EspacePro"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddNpgsqlInstrumentation();
                // Each scrape reads the counters as they are now.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        // Traces only go somewhere with a collector; the trace id in the logs needs none (ASP.NET
        // Core starts an activity per request whenever logging is on).
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path != MetricsPath)
                .AddNpgsql()
                .AddOtlpExporter(o => o.Endpoint = otlp));
        }
        return builder;
    }

    /// <summary>
    /// /metrics for the allowed networks only, before the pages (and their fallback policy);
    /// from anywhere else the path falls through to the 404 page, as an unknown address would.
    /// Placed after the forwarded headers, so the address checked is the real client's.
    /// </summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        app.Services.GetRequiredService<ServiceMetrics>();
        var allowed = IpRanges.Split(app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.AllowedNetworks)
            .Select(e => IpRanges.TryParse(e, allowSingleAddress: true, out var range) ? range : throw new InvalidOperationException(e))
            .ToList();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && IpRanges.Contains(allowed, context.Connection.RemoteIpAddress));
        return app;
    }
}
