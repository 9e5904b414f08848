using System.Globalization;
using System.Threading.RateLimiting;
using EspacePro.Web.Observability;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Security;

/// <summary>
/// One token bucket per client address over every page and endpoint that anyone may call and
/// that writes or renders something costly: the captcha (creation, image, audio), login, the
/// reset request, creation and activation. The throttles per space and per address stop
/// guessing; this stops one client from flooding the database, the renderers and the mail queue.
/// The address is the one audit and throttling use, so behind a trusted proxy it is the
/// forwarded client's, not the proxy's.
/// </summary>
public static class RateLimits
{
    /// <summary>The policy name for <c>[EnableRateLimiting]</c> and <c>RequireRateLimiting</c>.</summary>
    public const string Anonymous = "anonymous";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                // The French error page is rendered by the status-code pages: no body here.
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? retryAfter
                    : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                context.HttpContext.RequestServices.GetRequiredService<ServiceMetrics>().RateLimitRefused(Anonymous);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(Anonymous, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (!options.Enabled)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }
                return RateLimitPartition.GetTokenBucketLimiter(Audit.ClientAddress(http) ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / options.PerMinute,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return builder;
    }
}
