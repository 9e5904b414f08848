using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>
/// Step 3: the space's trust question, answered exactly (case, spaces) as stored (the
/// sheet's « Remarque » in chapter 3). Only ever after the e-mailed link; five wrong answers
/// void the request.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class QuestionModel(EspaceProDbContext db, ResetFlow flow, PasswordHashing hashing, Audit audit, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Answer { get; set; }

    public string Question { get; private set; } = "";
    /// <summary>False when the request died (used, voided, expired): the page says to start again.</summary>
    public bool Valid { get; private set; } = true;
    /// <summary>True when this answer was the last one allowed.</summary>
    public bool Throttled { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (flow.Read(HttpContext) is not { } state)
        {
            return RedirectToPage("Index");
        }
        if (state.AnswerVerified)
        {
            return RedirectToPage("NouveauMotDePasse");
        }
        var request = await ResetFlow.FindLiveAsync(db, state.RequestId, time.GetUtcNow());
        if (request is null)
        {
            return Expired();
        }
        Question = await QuestionOfAsync(request.AccountId);
        return Page();
    }

    /// <summary>« Continuer »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (flow.Read(HttpContext) is not { } state)
        {
            return RedirectToPage("Index");
        }
        if (state.AnswerVerified)
        {
            return RedirectToPage("NouveauMotDePasse");
        }
        var now = time.GetUtcNow();
        var request = await ResetFlow.FindLiveAsync(db, state.RequestId, now);
        if (request is null)
        {
            return Expired();
        }
        var account = await db.Users.AsNoTracking().Where(a => a.Id == request.AccountId)
            .Select(a => new { a.TrustQuestion, a.TrustAnswerHash }).FirstAsync();
        Question = TrustQuestions.LabelOf(account.TrustQuestion);

        var answer = Answer ?? "";
        if (answer.Length == 0)
        {
            ModelState.AddModelError(nameof(Answer), "Saisissez la réponse à votre question de confiance.");
            return Page();
        }
        if (PasswordText.CodePoints(answer) > TrustAnswerPolicy.MaximumLength)
        {
            // No stored answer is that long: not worth an attempt.
            ModelState.AddModelError(nameof(Answer), TrustAnswerPolicy.TooLong);
            return Page();
        }

        // The attempt is counted before the slow comparison, so parallel guesses cannot exceed the limit.
        var reserved = await db.PasswordResets
            .Where(r => r.Id == request.Id && r.UsedAt == null && r.VoidedAt == null && r.FailedAnswers < ResetFlow.MaxFailedAnswers)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FailedAnswers, r => r.FailedAnswers + 1));
        if (reserved == 0)
        {
            return Expired();
        }

        if (await hashing.MatchesAsync(account.TrustAnswerHash, answer, HttpContext.RequestAborted))
        {
            await db.PasswordResets.Where(r => r.Id == request.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.FailedAnswers, r => r.FailedAnswers - 1)
                .SetProperty(r => r.AnswerVerifiedAt, now));
            await audit.RecordNowAsync("password-reset.answer-verified", request.AccountId);
            flow.Write(HttpContext, state with { AnswerVerified = true });
            return RedirectToPage("NouveauMotDePasse");
        }

        var failures = await db.PasswordResets.Where(r => r.Id == request.Id).Select(r => r.FailedAnswers).FirstAsync();
        if (failures >= ResetFlow.MaxFailedAnswers)
        {
            await db.PasswordResets.Where(r => r.Id == request.Id && r.VoidedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.VoidedAt, now));
            await audit.RecordNowAsync("password-reset.answer-throttled", request.AccountId);
            flow.Clear(HttpContext);
            Throttled = true;
            Valid = false;
            ModelState.AddModelError(nameof(Answer),
                $"Vous avez saisi {ResetFlow.MaxFailedAnswers} réponses incorrectes : cette demande de réinitialisation est annulée. Recommencez la procédure « Mot de passe oublié » pour recevoir un nouveau lien.");
            return Page();
        }
        await audit.RecordNowAsync("password-reset.answer-failed", request.AccountId);
        var left = ResetFlow.MaxFailedAnswers - failures;
        ModelState.AddModelError(nameof(Answer),
            "La réponse saisie ne correspond pas à celle de votre question de confiance. Elle doit être saisie à l'identique (majuscules, minuscules, espaces). "
            + (left == 1 ? "Il vous reste 1 essai." : $"Il vous reste {left} essais."));
        return Page();
    }

    private async Task<string> QuestionOfAsync(Guid accountId) =>
        TrustQuestions.LabelOf(await db.Users.Where(a => a.Id == accountId).Select(a => a.TrustQuestion).FirstAsync());

    private PageResult Expired()
    {
        flow.Clear(HttpContext);
        Valid = false;
        return Page();
    }
}
