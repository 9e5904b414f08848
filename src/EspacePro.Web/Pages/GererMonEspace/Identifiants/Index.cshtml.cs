using System.Text.Json;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Data;
using EspacePro.Web.Mail;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>
/// « Modifier mes identifiants de connexion » (sheet chapters 3, 4.1 and 5): any combination of
/// a new login e-mail (pending until activated), a new password and a new trust question,
/// validated as a whole and saved in one transaction with the e-mails it causes.
/// </summary>
public sealed class IndexModel(
    EspaceProDbContext db,
    PasswordHashing hashing,
    PasswordChanges passwords,
    PasswordStrengthEstimator strength,
    AccountSessions sessions,
    TrustedDevices devices,
    ILookupNormalizer normalizer,
    Mailer mailer,
    PublicLinks links,
    Audit audit,
    TimeProvider time,
    IOptions<PasswordOptions> passwordOptions,
    IOptions<ActivationOptions> activationOptions,
    RecentLogin recentLogins) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty]
    public ReauthenticationInput Reauth { get; set; } = new();

    public Account Account { get; private set; } = default!;
    public bool NeedsReauthentication { get; private set; }
    /// <summary>The server's judgement of the typed password, shown after a post (no JavaScript needed).</summary>
    public PasswordStrength? Strength { get; private set; }
    public int MinimumLength => passwordOptions.Value.MinimumLength;
    public int RecentLoginMinutes => recentLogins.WindowMinutes;

    /// <summary>« modifier=mot-de-passe » opens the password section (from « Je ne reconnais pas cette activité »).</summary>
    [BindProperty(SupportsGet = true, Name = "modifier")]
    public string? OpenSection { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Account = await db.LoadAsync(User);
        NeedsReauthentication = await IsLoginStaleAsync();
        Input.Question = Account.TrustQuestion;
        Input.ChangePassword = OpenSection == "mot-de-passe";
        return Page();
    }

    /// <summary>Confirms the current password when the session's login is older than the window.</summary>
    public async Task<IActionResult> OnPostReauthenticateAsync()
    {
        Account = await db.LoadAsync(User);
        if (await recentLogins.ConfirmAsync(HttpContext, User, Account, Reauth.CurrentPassword) is { } error)
        {
            ModelState.AddModelError("Reauth.CurrentPassword", error);
            NeedsReauthentication = true;
            return Page();
        }
        return OpenSection == "mot-de-passe" ? RedirectToPage(new { modifier = OpenSection }) : RedirectToPage();
    }

    /// <summary>« Valider »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        Account = await db.LoadAsync(User);
        if (await IsLoginStaleAsync())
        {
            NeedsReauthentication = true;
            ModelState.Clear();
            ModelState.AddModelError(string.Empty,
                $"Votre connexion date de plus de {RecentLoginMinutes} minutes : confirmez votre mot de passe actuel, puis recommencez votre modification.");
            return Page();
        }

        var context = new PasswordContext(Account.Email, Account.FirstName, Account.LastName, Account.SubscriberNumber);
        var newEmail = Input.NewEmail?.Trim() ?? "";
        ValidateSections(newEmail);
        if (Input.ChangeEmail && ModelState.GetFieldValidationState("Input.NewEmail") != ModelValidationState.Invalid)
        {
            await CheckEmailChangeQuotasAsync(newEmail);
        }
        if (Input.ChangePassword)
        {
            await passwords.ValidateAsync(Account, Input.NewPassword, Input.ConfirmPassword, ModelState,
                "Input.NewPassword", "Input.ConfirmPassword", HttpContext.RequestAborted);
        }
        if (!ModelState.IsValid)
        {
            if (!string.IsNullOrEmpty(Input.NewPassword) && PasswordText.IsWithinMaximum(Input.NewPassword))
            {
                Strength = strength.Estimate(Input.NewPassword, context);
            }
            return Page();
        }

        var saved = await SaveAsync(newEmail);
        TempData[EnregistrementModel.TempDataKey] = JsonSerializer.Serialize(saved);
        return RedirectToPage("Enregistrement");
    }

    /// <summary>The live « Niveau de sécurité » meter; the same judgement as after a post.</summary>
    public async Task<IActionResult> OnPostStrengthAsync([FromForm] string? password)
    {
        if (string.IsNullOrEmpty(password) || !PasswordText.IsWithinMaximum(password))
        {
            return new JsonResult(new { level = "", label = "" });
        }
        var account = await db.LoadAsync(User);
        var result = strength.Estimate(password, new PasswordContext(account.Email, account.FirstName, account.LastName, account.SubscriberNumber));
        return new JsonResult(new { level = result.Level.ToString(), label = result.Label });
    }

    private Task<bool> IsLoginStaleAsync() => recentLogins.IsStaleAsync(User);

    private void ValidateSections(string newEmail)
    {
        if (!Input.ChangeEmail && !Input.ChangePassword && !Input.ChangeTrust)
        {
            ModelState.AddModelError("Input.ChangeEmail",
                "Cochez au moins une rubrique à modifier : adresse électronique, mot de passe ou question de confiance.");
            return;
        }

        if (Input.ChangeEmail)
        {
            ValidateNewEmail(newEmail);
        }
        else
        {
            RefuseIfFilled("Input.NewEmail", Input.NewEmail, "Cochez « Modifier mon adresse électronique » pour changer d'adresse, ou videz ce champ.");
            RefuseIfFilled("Input.ConfirmEmail", Input.ConfirmEmail, "Cochez « Modifier mon adresse électronique » pour changer d'adresse, ou videz ce champ.");
        }

        if (!Input.ChangePassword)
        {
            RefuseIfFilled("Input.NewPassword", Input.NewPassword, "Cochez « Modifier mon mot de passe » pour changer de mot de passe, ou videz ce champ.");
            RefuseIfFilled("Input.ConfirmPassword", Input.ConfirmPassword, "Cochez « Modifier mon mot de passe » pour changer de mot de passe, ou videz ce champ.");
        }

        if (Input.ChangeTrust)
        {
            if (!TrustQuestions.IsKnown(Input.Question))
            {
                ModelState.AddModelError("Input.Question", "Choisissez une question dans la liste.");
            }
            var password = Input.ChangePassword ? Input.NewPassword : null;
            foreach (var message in TrustAnswerPolicy.Validate(Input.Answer ?? "", Account.Email, password))
            {
                ModelState.AddModelError("Input.Answer", message);
            }
        }
        else
        {
            RefuseIfFilled("Input.Answer", Input.Answer, "Cochez « Modifier ma question de confiance » pour changer de réponse, ou videz ce champ.");
        }
    }

    private void ValidateNewEmail(string newEmail)
    {
        var raw = Input.NewEmail ?? "";
        if (raw.Length == 0)
        {
            ModelState.AddModelError("Input.NewEmail", "Saisissez votre nouvelle adresse électronique de connexion.");
        }
        else if (LoginEmailAttribute.Problem(raw, LoginEmailAttribute.UserExample) is { } problem)
        {
            ModelState.AddModelError("Input.NewEmail", problem);
        }
        else if (string.Equals(newEmail, Account.Email, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Input.NewEmail", "La nouvelle adresse électronique doit être différente de votre adresse actuelle.");
        }

        if (string.IsNullOrEmpty(Input.ConfirmEmail))
        {
            ModelState.AddModelError("Input.ConfirmEmail", "Confirmez votre nouvelle adresse électronique de connexion.");
        }
        else if (!string.Equals(Input.ConfirmEmail.Trim(), newEmail, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Input.ConfirmEmail", "Les deux adresses électroniques saisies ne sont pas identiques.");
        }
    }

    /// <summary>
    /// Both caps count the pending-change rows of the last 24 hours, which every request writes
    /// whether or not the address has a space, so neither cap tells which addresses do.
    /// </summary>
    private async Task CheckEmailChangeQuotasAsync(string newEmail)
    {
        var since = time.GetUtcNow() - EmailChangeRequests.QuotaWindow;
        var options = activationOptions.Value;
        // The same count as « Je n'ai pas reçu mon code » makes of the requests.
        var byThisSpace = await db.RequestsSinceAsync(Account.Id, since);
        if (byThisSpace >= options.MaxEmailChangesPerDay)
        {
            ModelState.AddModelError("Input.NewEmail",
                $"Vous avez déjà demandé {options.MaxEmailChangesPerDay} modifications d'adresse électronique en 24 heures : réessayez demain.");
            return;
        }
        var normalized = normalizer.NormalizeEmail(newEmail);
        var toThisAddress = await db.PendingEmailChanges.CountAsync(p => p.NormalizedNewEmail == normalized && p.CreatedAt > since);
        if (toThisAddress >= options.MaxRequestsPerAddressPerDay)
        {
            ModelState.AddModelError("Input.NewEmail",
                $"Cette adresse électronique a déjà fait l'objet de {options.MaxRequestsPerAddressPerDay} demandes en 24 heures : réessayez demain.");
        }
    }

    private void RefuseIfFilled(string key, string? value, string message)
    {
        if (!string.IsNullOrEmpty(value))
        {
            ModelState.AddModelError(key, message);
        }
    }

    private async Task<SavedChanges> SaveAsync(string newEmail)
    {
        var now = time.GetUtcNow();
        var account = Account;
        var sessionId = AccountSessions.GetSessionId(User)!.Value;
        DateOnly? validUntil = null;

        // Hash outside the transaction: it is the slow part and holds no lock.
        var passwordHash = Input.ChangePassword ? await passwords.HashAsync(Input.NewPassword!, HttpContext.RequestAborted) : null;
        var answerHash = Input.ChangeTrust ? await hashing.HashAsync(Input.Answer!) : null;

        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        if (passwordHash is not null)
        {
            passwords.Apply(account, passwordHash, now);
            validUntil = account.PasswordValidUntil;
            mailer.Enqueue(new PasswordChangedEmail(account.Email!, now, account.PasswordValidUntil));
            audit.Record("password.changed", account.Id);
        }
        if (answerHash is not null)
        {
            account.TrustQuestion = Input.Question!;
            account.TrustAnswerHash = answerHash;
            mailer.Enqueue(new TrustAnswerChangedEmail(account.Email!, now));
            audit.Record("trust-answer.changed", account.Id, new { question = Input.Question });
        }
        if (Input.ChangeEmail)
        {
            await RequestEmailChangeAsync(account, newEmail, now);
        }
        await db.SaveChangesAsync();
        if (passwordHash is not null)
        {
            await passwords.TrimHistoryAsync(account.Id);
            // Other browsers are closed; this one stays, with a cookie re-issued below.
            await sessions.RevokeAllAsync(account.Id, keep: sessionId);
            await db.VoidResetLinksAsync(account.Id, now);
            // A new password makes every browser prove itself again, this one included.
            await devices.RevokeAllAsync(account.Id);
        }
        await transaction.CommitAsync();
        if (passwordHash is not null)
        {
            await sessions.RenewCookieAsync(account, sessionId);
        }
        return new SavedChanges(passwordHash is not null, validUntil, answerHash is not null,
            Input.ChangeEmail ? newEmail : null, now);
    }

    private async Task RequestEmailChangeAsync(Account account, string newEmail, DateTimeOffset now)
    {
        // A new request voids the code of the previous one.
        await db.PendingEmailChanges
            .Where(p => p.AccountId == account.Id && p.UsedAt == null && p.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.VoidedAt, now).SetProperty(p => p.VoidReason, "replaced"));

        var normalized = normalizer.NormalizeEmail(newEmail);
        var taken = await db.Users.AnyAsync(a => a.NormalizedEmail == normalized && a.Id != account.Id);

        // Whether the address has a space must not show to this user: the same row is written
        // and the same notice (with its cancel link) goes to the current address either way;
        // only the new address's mail differs, and the user cannot read that mailbox. The owner
        // of a taken address is told instead of getting a code, so that row's code is never
        // sent and can never be activated.
        var code = ActivationCodes.Generate();
        var cancelToken = LinkTokens.New();
        var expiresAt = now + activationOptions.Value.CodeLifetime;
        var pending = new PendingEmailChange
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            NewEmail = newEmail,
            NormalizedNewEmail = normalized,
            CodeHash = ActivationCodes.Hash(code),
            CancelTokenHash = LinkTokens.Hash(cancelToken),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.PendingEmailChanges.Add(pending);
        mailer.Enqueue(taken
            ? new ExistingSpaceNoticeEmail(newEmail, now, ForEmailChange: true)
            : new ActivationCodeEmail(newEmail, code, links.To("/activation"), (int)activationOptions.Value.CodeLifetime.TotalHours));
        mailer.Enqueue(new EmailChangeRequestedEmail(account.Email!, newEmail, now, links.To($"/annulation/{cancelToken}")));
        audit.Record(taken ? "email-change.refused-taken" : "email-change.requested", account.Id, new { pending = pending.Id });
    }

}
