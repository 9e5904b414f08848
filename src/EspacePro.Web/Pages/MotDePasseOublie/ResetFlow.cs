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

    /// <summary>How long an e-mailed link stays valid (docs/security.md R20).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);

    /// <summary>Wrong trust answers allowed on one request; the last one voids it.</summary>
    public const int MaxFailedAnswers = 5;

    private readonly Security.ProtectedStateCookie<ResetState> _cookie =
        new(protection, environment, "EspacePro.Reset", "EspacePro.PasswordReset.v1", StepLifetime);

    public ResetState? Read(HttpContext http) => _cookie.Read(http);

    public void Write(HttpContext http, ResetState state) => _cookie.Write(http, state);

    public void Clear(HttpContext http) => _cookie.Clear(http);

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
