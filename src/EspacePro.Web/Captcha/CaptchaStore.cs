using System.Security.Cryptography;
using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Captcha;

/// <summary>
/// Captchas live in the database so that any node can draw or check them. The answer never
/// leaves the server except as pixels and sound; checking deletes the row, right or wrong.
/// </summary>
public sealed class CaptchaStore(EspaceProDbContext db, TimeProvider time, IOptions<CaptchaOptions> options, Observability.ServiceMetrics metrics)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary>Issues a new captcha for a form; null when captchas are disabled.</summary>
    public async Task<string?> IssueAsync(string purpose)
    {
        if (!Enabled)
        {
            return null;
        }
        var challenge = new CaptchaChallenge
        {
            Id = Base64Url(RandomNumberGenerator.GetBytes(18)),
            Purpose = purpose,
            Answer = CaptchaText.Generate(),
            ExpiresAt = time.GetUtcNow() + options.Value.Lifetime,
        };
        db.Captchas.Add(challenge);
        await db.SaveChangesAsync();
        db.Entry(challenge).State = EntityState.Detached;
        return challenge.Id;
    }

    /// <summary>Single use: whatever the answer, the captcha is gone after this call.</summary>
    public async Task<bool> CheckAsync(string purpose, string? id, string? answer)
    {
        if (!Enabled)
        {
            return true;
        }
        if (string.IsNullOrEmpty(id) || id.Length > 32)
        {
            return false;
        }
        var now = time.GetUtcNow();
        var challenge = await db.Captchas.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id);
        if (challenge is null)
        {
            return false;
        }
        // Only the request that deletes the row may use it: two posts of the same captcha race here.
        var deleted = await db.Captchas.Where(c => c.Id == id).ExecuteDeleteAsync();
        return deleted == 1
            && challenge.Purpose == purpose
            && challenge.ExpiresAt > now
            && CaptchaText.Matches(challenge.Answer, answer);
    }

    /// <summary>Checks a form's captcha and, when it fails, puts the French message next to the field.</summary>
    public async Task<bool> CheckAsync(string purpose, CaptchaInput input, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        if (await CheckAsync(purpose, input.Id, input.Answer))
        {
            return true;
        }
        metrics.CaptchaFailed();
        modelState.AddModelError("Captcha.Answer", string.IsNullOrWhiteSpace(input.Answer)
            ? "Recopiez les 6 caractères de l'image."
            : "Les caractères saisis ne correspondent pas à l'image. Recopiez ceux de la nouvelle image.");
        return false;
    }

    /// <summary>The text to draw or speak, while the captcha is still valid.</summary>
    public async Task<string?> TextToRenderAsync(string id)
    {
        var now = time.GetUtcNow();
        return await db.Captchas.AsNoTracking()
            .Where(c => c.Id == id && c.ExpiresAt > now)
            .Select(c => c.Answer)
            .FirstOrDefaultAsync();
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
