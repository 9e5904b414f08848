using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Mail;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>
/// « Modifier mon mot de passe » (sheet chapter 3): the password rules, its strength meter,
/// and what a new password closes: the other browsers, the reset links and every recognised
/// browser; this one keeps its session with a new cookie.
/// </summary>
public sealed class PasswordSection(
    PasswordChanges passwords,
    PasswordStrengthEstimator strength,
    AccountSessions sessions,
    Mailer mailer,
    Audit audit)
{
    private const string NotTicked = "Cochez « Modifier mon mot de passe » pour changer de mot de passe, ou videz ce champ.";

    public static void RefuseUnlessTicked(InputModel input, ModelStateDictionary modelState)
    {
        if (!input.ChangePassword)
        {
            modelState.RefuseIfFilled("Input.NewPassword", input.NewPassword, NotTicked);
            modelState.RefuseIfFilled("Input.ConfirmPassword", input.ConfirmPassword, NotTicked);
        }
    }

    public Task ValidateAsync(InputModel input, Account account, ModelStateDictionary modelState, CancellationToken cancellationToken) =>
        input.ChangePassword
            ? passwords.ValidateAsync(account, input.NewPassword, input.ConfirmPassword, modelState,
                "Input.NewPassword", "Input.ConfirmPassword", cancellationToken)
            : Task.CompletedTask;

    /// <summary>The server's judgement of a typed password; null when there is nothing to judge.</summary>
    public PasswordStrength? Estimate(string? password, Account account) =>
        string.IsNullOrEmpty(password) || !PasswordText.IsWithinMaximum(password)
            ? null
            : strength.Estimate(password, new PasswordContext(account.Email, account.FirstName, account.LastName, account.SubscriberNumber));

    /// <summary>Hashes the new password, before the transaction: it is the slow part and holds no lock. Null when not changed.</summary>
    public async Task<string?> HashAsync(InputModel input, CancellationToken cancellationToken) =>
        input.ChangePassword ? await passwords.HashAsync(input.NewPassword!, cancellationToken) : null;

    /// <summary>Applies the new password and adds its e-mail to the unit of work.</summary>
    public void Apply(Account account, string passwordHash, DateTimeOffset now)
    {
        passwords.Apply(account, passwordHash, now);
        mailer.Enqueue(new PasswordChangedEmail(account.Email!, now, account.PasswordValidUntil));
        audit.Record("password.changed", account.Id);
    }

    /// <summary>Inside the transaction, after the save: what a new password closes.</summary>
    public async Task CloseOthersAsync(Account account, Guid sessionId, DateTimeOffset now)
    {
        await passwords.TrimHistoryAsync(account.Id);
        await passwords.CloseOtherAccessAsync(account.Id, keepSession: sessionId, now);
    }

    /// <summary>After the commit: this browser's cookie carries the new security stamp.</summary>
    public Task RenewCookieAsync(Account account, Guid sessionId) => sessions.RenewCookieAsync(account, sessionId);
}
