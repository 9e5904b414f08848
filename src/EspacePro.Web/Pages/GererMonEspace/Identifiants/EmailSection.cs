using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>
/// « Modifier mon adresse électronique » (sheet chapter 4.1): the new login e-mail is checked,
/// capped per space and per address, and only requested here; it becomes the login when its
/// code is activated.
/// </summary>
public sealed class EmailSection(
    EspaceProDbContext db,
    ILookupNormalizer normalizer,
    Mailer mailer,
    PublicLinks links,
    Audit audit,
    TimeProvider time,
    IOptions<ActivationOptions> activationOptions)
{
    private const string NotTicked = "Cochez « Modifier mon adresse électronique » pour changer d'adresse, ou videz ce champ.";

    /// <summary>The typed address as it will be stored.</summary>
    public static string NewEmail(InputModel input) => input.NewEmail?.Trim() ?? "";

    public void Validate(InputModel input, Account account, ModelStateDictionary modelState)
    {
        if (!input.ChangeEmail)
        {
            modelState.RefuseIfFilled("Input.NewEmail", input.NewEmail, NotTicked);
            modelState.RefuseIfFilled("Input.ConfirmEmail", input.ConfirmEmail, NotTicked);
            return;
        }

        var newEmail = NewEmail(input);
        var raw = input.NewEmail ?? "";
        if (raw.Length == 0)
        {
            modelState.AddModelError("Input.NewEmail", "Saisissez votre nouvelle adresse électronique de connexion.");
        }
        else if (LoginEmailAttribute.Problem(raw, LoginEmailAttribute.UserExample) is { } problem)
        {
            modelState.AddModelError("Input.NewEmail", problem);
        }
        else if (string.Equals(newEmail, account.Email, StringComparison.OrdinalIgnoreCase))
        {
            modelState.AddModelError("Input.NewEmail", "La nouvelle adresse électronique doit être différente de votre adresse actuelle.");
        }

        if (string.IsNullOrEmpty(input.ConfirmEmail))
        {
            modelState.AddModelError("Input.ConfirmEmail", "Confirmez votre nouvelle adresse électronique de connexion.");
        }
        else if (!string.Equals(input.ConfirmEmail.Trim(), newEmail, StringComparison.OrdinalIgnoreCase))
        {
            modelState.AddModelError("Input.ConfirmEmail", "Les deux adresses électroniques saisies ne sont pas identiques.");
        }
    }

    /// <summary>
    /// Both caps count the pending-change rows of the last 24 hours, which every request writes
    /// whether or not the address has a space, so neither cap tells which addresses do.
    /// </summary>
    public async Task CheckQuotasAsync(InputModel input, Account account, ModelStateDictionary modelState)
    {
        if (!input.ChangeEmail || modelState.GetFieldValidationState("Input.NewEmail") == ModelValidationState.Invalid)
        {
            return;
        }
        var since = time.GetUtcNow() - EmailChangeRequests.QuotaWindow;
        var options = activationOptions.Value;
        // The same count as « Je n'ai pas reçu mon code » makes of the requests.
        var byThisAccount = await db.RequestsSinceAsync(account.Id, since);
        if (byThisAccount >= options.MaxEmailChangesPerDay)
        {
            modelState.AddModelError("Input.NewEmail",
                $"Vous avez déjà demandé {options.MaxEmailChangesPerDay} modifications d'adresse électronique en 24 heures : réessayez demain.");
            return;
        }
        var normalized = normalizer.NormalizeEmail(NewEmail(input));
        var toThisAddress = await db.PendingEmailChanges.CountAsync(p => p.NormalizedNewEmail == normalized && p.CreatedAt > since);
        if (toThisAddress >= options.MaxRequestsPerAddressPerDay)
        {
            modelState.AddModelError("Input.NewEmail",
                $"Cette adresse électronique a déjà fait l'objet de {options.MaxRequestsPerAddressPerDay} demandes en 24 heures : réessayez demain.");
        }
    }

    /// <summary>Adds the request and its e-mails to the unit of work; the caller saves.</summary>
    public async Task RequestAsync(Account account, string newEmail, DateTimeOffset now)
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
