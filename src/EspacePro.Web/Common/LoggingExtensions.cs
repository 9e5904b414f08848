namespace EspacePro.Web.Common;

public static class LoggingExtensions
{
    /// <summary>
    /// UTC timestamps everywhere; JSON lines outside Development, whose escaping also keeps a
    /// CR/LF typed by a user from forging a log line (SECURITY.md §20).
    /// </summary>
    public static ILoggingBuilder AddLogging(this ILoggingBuilder logging, IHostEnvironment environment)
    {
        logging.ClearProviders();
        if (environment.IsDevelopment())
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
            logging.AddJsonConsole(o =>
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
