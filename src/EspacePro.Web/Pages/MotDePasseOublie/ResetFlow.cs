using System.Text.Json;
using EspacePro.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>
/// Where a browser is in « Mot de passe oublié » after it opened the e-mailed link: which
/// request, and whether this browser (not another one that opened the same link) has given
/// the right trust answer.
/// </summary>
public sealed record ResetState(Guid RequestId, bool AnswerVerified);

/// <summary>
/// The reset's state lives in an encrypted, HttpOnly, SameSite=Strict cookie of the browser
/// that opened the link (as <see cref="Activation.ActivationWizard"/>), so the token leaves the
/// address bar at once and the later steps cannot be reached without the link.
/// </summary>
public sealed class ResetFlow(IDataProtectionProvider protection, IHostEnvironment environment)
{
    /// <summary>How long each step may stay open; the cookie is renewed after the right answer.</summary>
    public static readonly TimeSpan StepLifetime = TimeSpan.FromMinutes(15);

    /// <summary>How long an e-mailed link stays valid (SECURITY.md §13).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);

    /// <summary>Wrong trust answers allowed on one request; the last one voids it.</summary>
    public const int MaxFailedAnswers = 5;

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("EspacePro.PasswordReset.v1").ToTimeLimitedDataProtector();

    private string CookieName => Security.CookieSecurity.Name(environment, "EspacePro.Reset");

    public ResetState? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ResetState>(_protector.Unprotect(value));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, ResetState state) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(state), StepLifetime), new CookieOptions
        {
            HttpOnly = true,
            Secure = !environment.IsDevelopment() || http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions
    {
        Path = "/",
        Secure = !environment.IsDevelopment() || http.Request.IsHttps,
    });

    /// <summary>The request if it can still lead to a new password: not used, not voided, link not expired.</summary>
    public static Task<PasswordResetRequest?> FindLiveAsync(EspaceProDbContext db, Guid id, DateTimeOffset now) =>
        db.PasswordResets.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == id && r.UsedAt == null && r.VoidedAt == null && r.ExpiresAt > now);

    /// <summary>
    /// The request at the last step: answered, not used nor voided, and the link still valid —
    /// or answered less than a step's lifetime ago, so that an answer given in the link's last
    /// minute still leaves time to type the new password.
    /// </summary>
    public static async Task<PasswordResetRequest?> FindAnsweredAsync(EspaceProDbContext db, Guid id, DateTimeOffset now)
    {
        var request = await db.PasswordResets.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == id && r.UsedAt == null && r.VoidedAt == null && r.AnswerVerifiedAt != null);
        return request is not null && (request.ExpiresAt > now || request.AnswerVerifiedAt!.Value + StepLifetime > now)
            ? request
            : null;
    }
}
