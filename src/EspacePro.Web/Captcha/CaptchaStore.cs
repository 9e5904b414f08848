using System.Security.Cryptography;
using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Captcha;

/// <summary>
/// Captchas live in the database so that any node can draw or check them. The answer never
/// leaves the server except as pixels and sound; checking deletes the row, right or wrong.
/// A proof of work is a captcha of another kind in the same table, so it is single use on
/// every node the same way, and the forms check it through the same call.
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
        var challenge = await AddAsync(purpose, CaptchaKind.Text, CaptchaText.Generate());
        return challenge.Id;
    }

    /// <summary>
    /// Issues a proof of work for a form, in place of the characters to copy; null when
    /// captchas are disabled.
    /// </summary>
    internal async Task<ProofOfWork.Challenge?> IssueProofOfWorkAsync(string purpose)
    {
        if (!Enabled)
        {
            return null;
        }
        var challenge = await AddAsync(purpose, CaptchaKind.ProofOfWork, "");
        return ProofOfWork.Create(challenge.Id, challenge.Secret, options.Value.ProofOfWorkMaxNumber, challenge.ExpiresAt);
    }

    private async Task<CaptchaChallenge> AddAsync(string purpose, CaptchaKind kind, string answer)
    {
        var challenge = new CaptchaChallenge
        {
            Id = Base64Url(RandomNumberGenerator.GetBytes(18)),
            Purpose = purpose,
            Kind = kind,
            Answer = answer,
            Secret = RandomNumberGenerator.GetBytes(SeededRandom.SeedLength),
            ExpiresAt = time.GetUtcNow() + options.Value.Lifetime,
        };
        db.Captchas.Add(challenge);
        await db.SaveChangesAsync();
        db.Entry(challenge).State = EntityState.Detached;
        return challenge;
    }

    /// <summary>
    /// Single use: whatever the answer, the captcha is gone after this call. A text captcha
    /// takes <paramref name="answer"/>, a proof of work <paramref name="proofOfWork"/>; each
    /// only its own.
    /// </summary>
    public async Task<bool> CheckAsync(string purpose, string? id, string? answer, string? proofOfWork = null)
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
            && challenge.Kind switch
            {
                CaptchaKind.Text => CaptchaText.Matches(challenge.Answer, answer),
                CaptchaKind.ProofOfWork => ProofOfWork.Verify(challenge.Secret, proofOfWork, now),
                _ => false,
            };
    }

    /// <summary>Checks a form's captcha and, when it fails, puts the French message next to the field.</summary>
    public async Task<bool> CheckAsync(string purpose, CaptchaInput input, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        if (await CheckAsync(purpose, input.Id, input.Answer, input.ProofOfWork))
        {
            return true;
        }
        metrics.CaptchaFailed();
        modelState.AddModelError("Captcha.Answer",
            !string.IsNullOrEmpty(input.ProofOfWork)
                ? "La vérification automatique a expiré ou n'a pas abouti. Relancez-la, ou recopiez les caractères de la nouvelle image."
            : string.IsNullOrWhiteSpace(input.Answer)
                ? "Recopiez les 6 caractères de l'image."
                : "Les caractères saisis ne correspondent pas à l'image. Recopiez ceux de la nouvelle image.");
        return false;
    }

    /// <summary>The text to draw or speak and the seed of its renders, while the captcha is still valid.</summary>
    public async Task<CaptchaToRender?> TextToRenderAsync(string id)
    {
        var now = time.GetUtcNow();
        var found = await db.Captchas.AsNoTracking()
            .Where(c => c.Id == id && c.Kind == CaptchaKind.Text && c.ExpiresAt > now)
            .Select(c => new CaptchaToRender(c.Answer, c.Secret))
            .FirstOrDefaultAsync();
        // A row issued before render seeds existed has none: it is not drawn, the form issues another.
        return found is { Seed.Length: SeededRandom.SeedLength } ? found : null;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A captcha's characters and the seed every render of them is drawn from.</summary>
public sealed record CaptchaToRender(string Text, byte[] Seed);
