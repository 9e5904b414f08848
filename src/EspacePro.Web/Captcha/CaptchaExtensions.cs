using Microsoft.AspNetCore.Antiforgery;
using EspacePro.Web.Data;

namespace EspacePro.Web.Captcha;

public static class CaptchaExtensions
{
    public static WebApplicationBuilder AddCaptcha(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaptchaOptions>().BindConfiguration(CaptchaOptions.Section)
            .Validate(o => o.Lifetime > TimeSpan.Zero && o.Lifetime <= TimeSpan.FromHours(1),
                "Captcha:Lifetime must be between 00:00:01 and 01:00:00.")
            .ValidateOnStart();
        builder.Services.AddScoped<CaptchaStore>();
        var fontFile = Path.Combine(ClientAssets.FontDirectory(builder.Environment), "DejaVuSans-Bold.ttf");
        builder.Services.AddSingleton(_ => new CaptchaImageRenderer(fontFile));
        builder.Services.AddSingleton<CaptchaAudioRenderer>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCaptcha(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/captcha").AllowAnonymous().RequireRateLimiting(Security.RateLimits.Anonymous);
        group.MapGet("/{id}/image", async (string id, CaptchaStore store, CaptchaImageRenderer renderer, HttpContext http) =>
        {
            var text = await store.TextToRenderAsync(id);
            if (text is null)
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(renderer.RenderPng(text), "image/png");
        });
        group.MapGet("/{id}/audio", async (string id, CaptchaStore store, CaptchaAudioRenderer renderer, HttpContext http) =>
        {
            var text = await store.TextToRenderAsync(id);
            if (text is null)
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(renderer.RenderWav(text), "audio/wav", "extrait-sonore.wav");
        });
        // "Changer l'image" with JavaScript: a new captcha for the same form, the old one voided.
        group.MapPost("/renouveler", async (HttpContext http, IAntiforgery antiforgery, CaptchaStore store) =>
        {
            // Razor Pages check their own tokens; this endpoint checks its own explicitly.
            if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }
            var form = await http.Request.ReadFormAsync();
            var purpose = form["purpose"].ToString();
            var previous = form["previous"].ToString();
            if (!CaptchaPurpose.All.Contains(purpose))
            {
                return Results.BadRequest();
            }
            if (!string.IsNullOrEmpty(previous))
            {
                await store.CheckAsync(purpose, previous, null);
            }
            var id = await store.IssueAsync(purpose);
            return id is null ? Results.NotFound() : Results.Json(new { id });
        });
        return app;
    }
}
