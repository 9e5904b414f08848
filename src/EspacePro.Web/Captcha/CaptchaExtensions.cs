using Microsoft.AspNetCore.Antiforgery;
using EspacePro.Web.Common;

namespace EspacePro.Web.Captcha;

public static class CaptchaExtensions
{
    public static WebApplicationBuilder AddCaptcha(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaptchaOptions>().BindConfiguration(CaptchaOptions.Section)
            .Validate(o => o.Lifetime > TimeSpan.Zero && o.Lifetime <= TimeSpan.FromHours(1),
                "Captcha:Lifetime must be between 00:00:01 and 01:00:00.")
            .ValidateDataAnnotations()
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
            var captcha = await store.TextToRenderAsync(id);
            if (captcha is null)
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(renderer.RenderPng(captcha.Text, captcha.Seed), "image/png");
        });
        group.MapGet("/{id}/audio", async (string id, CaptchaStore store, CaptchaAudioRenderer renderer, HttpContext http) =>
        {
            var captcha = await store.TextToRenderAsync(id);
            if (captcha is null)
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(renderer.RenderWav(captcha.Text, captcha.Seed), "audio/wav", "extrait-sonore.wav");
        });
        // "Changer l'image" with JavaScript: a new captcha for the same form, the old one voided.
        group.MapPost("/renouveler", async (HttpContext http, IAntiforgery antiforgery, CaptchaStore store) =>
        {
            var purpose = await VoidPreviousAsync(http, antiforgery, store);
            if (purpose is null)
            {
                return Results.BadRequest();
            }
            var id = await store.IssueAsync(purpose);
            return id is null ? Results.NotFound() : Results.Json(new { id });
        });
        // "Je ne peux ni lire ni écouter les caractères": a proof of work replaces the characters
        // of the same form, the old captcha voided, so a form still holds one live challenge.
        group.MapPost("/preuve-de-travail", async (HttpContext http, IAntiforgery antiforgery, CaptchaStore store) =>
        {
            var purpose = await VoidPreviousAsync(http, antiforgery, store);
            if (purpose is null)
            {
                return Results.BadRequest();
            }
            var challenge = await store.IssueProofOfWorkAsync(purpose);
            http.Response.Headers.CacheControl = "no-store";
            return challenge is null ? Results.NotFound() : Results.Json(challenge);
        });
        return app;
    }

    /// <summary>The form's purpose once its previous captcha is voided; null for a request to refuse.</summary>
    private static async Task<string?> VoidPreviousAsync(HttpContext http, IAntiforgery antiforgery, CaptchaStore store)
    {
        // Razor Pages check their own tokens; these endpoints check theirs explicitly.
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return null;
        }
        var form = await http.Request.ReadFormAsync();
        var purpose = form["purpose"].ToString();
        var previous = form["previous"].ToString();
        if (!CaptchaPurpose.All.Contains(purpose))
        {
            return null;
        }
        if (!string.IsNullOrEmpty(previous))
        {
            await store.CheckAsync(purpose, previous, null);
        }
        return purpose;
    }
}
