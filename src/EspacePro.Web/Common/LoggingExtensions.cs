namespace EspacePro.Web.Common;

public enum LogFormat
{
    Simple,
    Json,
}

public static class LoggingExtensions
{
    /// <summary>
    /// UTC timestamps everywhere; by default JSON lines outside Development and one readable
    /// line in Development (<c>Logging:Format</c> chooses). JSON escaping also keeps a CR/LF typed
    /// by a user from forging a log line, and a request's lines carry its
    /// TraceId and SpanId (W3C trace context, the same ids as the OpenTelemetry traces when they
    /// are exported), so one request's lines can be gathered across nodes.
    /// </summary>
    public static ILoggingBuilder AddLogging(this ILoggingBuilder logging, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Logging:Format"];
        LogFormat format;
        if (string.IsNullOrEmpty(configured))
        {
            format = environment.IsDevelopment() ? LogFormat.Simple : LogFormat.Json;
        }
        else if (!Enum.TryParse(configured, ignoreCase: true, out format) || !Enum.IsDefined(format))
        {
            throw new InvalidOperationException($"Logging:Format must be Json or Simple, not '{configured}'.");
        }

        logging.ClearProviders();
        if (format == LogFormat.Simple)
        {
            logging.AddSimpleConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
                o.SingleLine = true;
            });
        }
        else
        {
            logging.AddConsole(o => o.FormatterName = JsonTraceConsoleFormatter.FormatterName)
                .AddConsoleFormatter<JsonTraceConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
        }
        // The reset and cancel links carry their token in the path, and ASP.NET Core's own lines
        // below Warning (request started, routing, static files…) print the path: they stay off
        // whatever the configuration says for "Microsoft.AspNetCore" as a whole.
        logging.AddFilter("Microsoft.AspNetCore", level => level >= LogLevel.Warning);
        return logging;
    }
}
