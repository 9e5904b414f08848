namespace EspacePro.Web.Security;

/// <summary>Response headers of docs/security.md R25 and the 64 KiB cap on request bodies.</summary>
public static class SecurityHeaders
{
    public const long MaxRequestBodyBytes = 64 * 1024;

    private const string ContentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
        "form-action 'self'; img-src 'self' data:; font-src 'self' data:; " +
        // The captcha's automatic check runs in a worker script of our own (js/preuve-de-travail.js).
        "worker-src 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";

            var request = context.Request;
            var reExecuted = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null;
            if (!reExecuted && request.ContentLength > MaxRequestBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                // Also catches chunked bodies that announce no length.
                limit.MaxRequestBodySize = MaxRequestBodyBytes;
            }
            await next(context);
        });
}
