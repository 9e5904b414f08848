using EspacePro.Web.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;

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
        });
        services.Configure<ForwardedHeadersOptions>(o =>
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        return builder;
    }

    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("App:BehindProxy"))
        {
            app.UseForwardedHeaders();
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseExceptionHandler("/erreur");
        app.UseStatusCodePagesWithReExecute("/erreur/{0}");
        app.UseSecurityHeaders();
        return app;
    }
}
