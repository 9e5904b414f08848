using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.Connexion;

/// <summary>
/// « Saisissez le code de sécurité reçu par courriel »: the second step of a login from a
/// browser the space does not recognise. Nobody is logged in here; the browser holds only the
/// protected cookie naming its pending login, and the database row decides. Once the code is
/// right the session opens, the browser becomes recognised, and only then may an expired
/// password send it to the forced change.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class CodeModel(
    EspaceProDbContext db,
    LoginCodes codes,
    LoginCompletion completion,
    Audit audit,
    TimeProvider time) : PageModel
{
    public const string MissingMessage = "Saisissez le code de sécurité reçu par courriel.";
    public const string MalformedMessage = "Le code de sécurité comporte 6 chiffres, sans espace ni lettre : vérifiez votre saisie.";
    public const string WrongMessage = "Code de sécurité incorrect. Vérifiez le dernier code reçu par courriel et saisissez-le de nouveau.";
    public static readonly string VoidedMessage =
        $"Code de sécurité incorrect. Après {LoginCodes.MaxAttempts} saisies erronées, cette connexion est annulée : reconnectez-vous avec votre adresse électronique et votre mot de passe pour recevoir un nouveau code.";
    public const string ExpiredMessage = "Ce code de sécurité n'est plus valable : son délai est dépassé. Cliquez sur « Recevoir un nouveau code ».";
    public const string ResentMessage = "Un nouveau code de sécurité vient de vous être envoyé par courriel. Le code précédent n'est plus valable.";
    public static readonly string ResendRefusedMessage =
        $"Vous avez déjà demandé {LoginCodes.MaxResends} nouveaux codes pour cette connexion. Utilisez le dernier code reçu, ou reconnectez-vous dans quelques minutes.";

    [BindProperty]
    public string? Code { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    /// <summary>"li•••@orange.fr": enough for the person to know which mailbox to look in.</summary>
    public string MaskedEmail { get; private set; } = "";

    public int LifetimeMinutes => (int)Math.Round(codes.Lifetime.TotalMinutes);

    /// <summary>The login was ended by too many wrong codes or a change of password: only a new login helps.</summary>
    public bool Over { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Redirect("/");
        }
        if (await codes.FindPendingAsync(HttpContext) is not { Row: var row })
        {
            return RedirectToPage("Index");
        }
        await DescribeAsync(row);
        if (!Over && row.ExpiresAt <= time.GetUtcNow())
        {
            ModelState.AddModelError(nameof(Code), ExpiredMessage);
        }
        return Page();
    }

    /// <summary>« Valider »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Redirect("/");
        }
        if (await codes.FindPendingAsync(HttpContext) is not { State: var state, Row: var row })
        {
            return RedirectToPage("Index");
        }
        // Phones and mail readers split codes as "123 456": the digits are what count.
        var code = string.Concat((Code ?? "").Where(c => !char.IsWhiteSpace(c)));
        Code = null;
        if (code.Length == 0 || !LoginCodes.IsWellFormed(code))
        {
            // A slip of the keyboard costs no try.
            ModelState.AddModelError(nameof(Code), code.Length == 0 ? MissingMessage : MalformedMessage);
            await DescribeAsync(row);
            return Page();
        }

        var check = await codes.CheckAsync(row.Id, code);
        if (check != LoginCodeCheck.Accepted)
        {
            await audit.RecordNowAsync("login.code.failed", row.AccountId, new { voided = check == LoginCodeCheck.WrongAndVoided, stale = check == LoginCodeCheck.Stale });
            // Read again: a parallel try may have spent the last one meanwhile.
            await DescribeAsync(await db.LoginCodes.AsNoTracking().FirstAsync(c => c.Id == row.Id));
            if (!Over)
            {
                ModelState.AddModelError(nameof(Code), check == LoginCodeCheck.Wrong ? WrongMessage : ExpiredMessage);
            }
            return Page();
        }

        var account = await db.Users.FirstAsync(a => a.Id == row.AccountId);
        codes.Forget(HttpContext);
        var keys = LoginThrottler.Anonymous(account.NormalizedEmail!, Audit.ClientAddress(HttpContext));
        if (await completion.CompleteAsync(HttpContext, account, device: null, keys, byCode: true))
        {
            return Redirect(ExpiredPasswordGate.ChangePath);
        }
        return LocalRedirect(Url.IsLocalUrl(state.ReturnUrl) ? state.ReturnUrl! : "/");
    }

    /// <summary>« Recevoir un nouveau code »</summary>
    public async Task<IActionResult> OnPostResendAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Redirect("/");
        }
        if (await codes.FindPendingAsync(HttpContext) is not { Row: var row })
        {
            return RedirectToPage("Index");
        }
        // The new code and its mail are one change: never a code replaced without its mail.
        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        if (!await codes.ResendAsync(HttpContext, row.Id))
        {
            await transaction.RollbackAsync();
            await DescribeAsync(row);
            if (!Over)
            {
                ModelState.AddModelError(nameof(Code), ResendRefusedMessage);
            }
            return Page();
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        StatusMessage = ResentMessage;
        return RedirectToPage();
    }

    /// <summary>
    /// What the page shows of the pending login. A void one (too many wrong codes, or the
    /// password changed meanwhile) has no field left to type in: its message is the page's own.
    /// </summary>
    private async Task DescribeAsync(LoginCode row)
    {
        var email = await db.Users.Where(a => a.Id == row.AccountId).Select(a => a.Email).FirstOrDefaultAsync();
        MaskedEmail = Email.Mask(email ?? "");
        Over = row.VoidedAt is not null || row.UsedAt is not null || row.FailedAttempts >= LoginCodes.MaxAttempts;
        if (Over)
        {
            ModelState.AddModelError(string.Empty, VoidedMessage);
        }
    }
}
