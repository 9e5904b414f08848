using EspacePro.Web.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace EspacePro.Web.Security;

public static class WebSecurityExtensions
{
    public static WebApplicationBuilder AddWebSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl is null || o.PublicBaseUrl is { IsAbsoluteUri: true, Scheme: "https" or "http" },
                "App:PublicBaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.PublicBaseUrl is not null || builder.Environment.IsDevelopment(),
                "App:PublicBaseUrl is required outside Development: links in e-mails are never built from the Host header.")
            .ValidateOnStart();
        services.AddOptions<UiOptions>().BindConfiguration(UiOptions.Section);
        // Pages are UTF-8: write "é" as "é", not "&#xE9;".
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddScoped<Audit>();

        // Deny by default: every page needs a signed-in space unless it says [AllowAnonymous].
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = CookieSecurity.Name(builder.Environment, "EspacePro.Af");
            o.Cookie.SecurePolicy = CookieSecurity.Policy(builder.Environment);
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = "RequestVerificationToken";
        });
        // One-time messages: the same cookie rules as the others; registered before MVC, which
        // only adds its own provider when none is.
        services.Configure<CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = CookieSecurity.Name(builder.Environment, "EspacePro.Msg");
            o.Cookie.SecurePolicy = CookieSecurity.Policy(builder.Environment);
        });
        services.AddSingleton<CookieTempDataProvider>();
        services.AddSingleton<ITempDataProvider, MessageCookie>();
        services.Configure<FormOptions>(o =>
        {
            o.ValueLengthLimit = (int)SecurityHeaders.MaxRequestBodyBytes;
            o.MultipartBodyLengthLimit = SecurityHeaders.MaxRequestBodyBytes;
            o.ValueCountLimit = 64;
        });
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestBodySize = SecurityHeaders.MaxRequestBodyBytes;
            o.AddServerHeader = false;
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
            // Browsers ignore HSTS for loopback anyway; keep the header on every host.
            o.ExcludedHosts.Clear();
        });
        services.AddProxyTrust();
        return builder;
    }

    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        app.UseProxyTrust();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/erreur",
            // The error page runs in a fresh scope: a new database context, and the sign-in
            // checked anew (the request's own check may be what failed, and its result is kept
            // for the request's lifetime).
            CreateScopeForErrors = true,
            // A body over the limit surfaces as an exception when the form is read: it is the
            // client's fault (4xx), not a server error.
            StatusCodeSelector = error => error switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                InvalidDataException => StatusCodes.Status413PayloadTooLarge,
                // The database is down or full: the request's transaction rolled back, and the
                // same request will work once it is back.
                _ when Database.DatabaseUnavailable.Is(error) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages(ShowErrorPageAsync);
        app.UseSecurityHeaders();
        return app;
    }

    /// <summary>
    /// Renders the French error page for a bodiless 4xx/5xx. Unlike the stock re-execution it
    /// always re-enters as a GET, so a refused POST (too large, forged) is never read again.
    /// </summary>
    private static async Task ShowErrorPageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var (path, query, method) = (request.Path, request.QueryString, request.Method);
        http.Features.Set<IStatusCodeReExecuteFeature>(new StatusCodeReExecuteFeature
        {
            OriginalPath = path,
            OriginalPathBase = request.PathBase,
            OriginalQueryString = query.HasValue ? query.Value : null,
        });
        http.SetEndpoint(null);
        request.RouteValues.Clear();
        request.Path = "/erreur/" + http.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.QueryString = QueryString.Empty;
        request.Method = HttpMethods.Get;
        try
        {
            await context.Next(http);
        }
        finally
        {
            (request.Path, request.QueryString, request.Method) = (path, query, method);
            http.Features.Set<IStatusCodeReExecuteFeature>(null);
        }
    }
}
