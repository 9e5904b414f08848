using EspacePro.Data;
using EspacePro.Web.Passwords;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Everything a new password goes through, whichever page sets it (identifiers form, expired
/// password, forgotten password): the rules with their messages, the history, and the update.
/// </summary>
public sealed class PasswordChanges(
    EspaceProDbContext db, PasswordHashing hashing, PasswordPolicy policy, IOptions<PasswordOptions> options,
    AccountSessions sessions, TrustedDevices devices)
{
    public const int HistoryDepth = 5;

    public int ValidityMonths => options.Value.ValidityMonths;

    /// <summary>Adds a French message under each key for every broken rule; hashes only when the rest is valid.</summary>
    public async Task ValidateAsync(Account account, string? password, string? confirmation,
        ModelStateDictionary state, string passwordKey, string confirmationKey, CancellationToken cancellationToken)
    {
        var errorsBefore = state.ErrorCount;
        password ??= "";
        if (password.Length == 0)
        {
            state.AddModelError(passwordKey, "Saisissez votre nouveau mot de passe.");
        }
        else
        {
            var context = new PasswordContext(account.Email, account.FirstName, account.LastName, account.SubscriberNumber);
            foreach (var message in policy.Validate(password, context))
            {
                state.AddModelError(passwordKey, message);
            }
        }
        if (string.IsNullOrEmpty(confirmation))
        {
            state.AddModelError(confirmationKey, "Confirmez votre nouveau mot de passe.");
        }
        else if (password.Length > 0 && PasswordText.Normalize(confirmation) != PasswordText.Normalize(password))
        {
            state.AddModelError(confirmationKey, "Les deux mots de passe saisis ne sont pas identiques.");
        }
        if (state.ErrorCount == errorsBefore)
        {
            await CheckHistoryAsync(account, password, state, passwordKey, cancellationToken);
        }
    }

    private async Task CheckHistoryAsync(Account account, string password, ModelStateDictionary state, string key, CancellationToken cancellationToken)
    {
        if (account.PasswordHash is not null && await hashing.MatchesAsync(account.PasswordHash, password, cancellationToken))
        {
            state.AddModelError(key, "Le nouveau mot de passe doit être différent de votre mot de passe actuel.");
            return;
        }
        var previous = await db.PasswordHistory.Where(h => h.AccountId == account.Id)
            .OrderByDescending(h => h.ChangedAt).Take(HistoryDepth).Select(h => h.PasswordHash).ToListAsync(cancellationToken);
        foreach (var hash in previous)
        {
            if (await hashing.MatchesAsync(hash, password, cancellationToken))
            {
                state.AddModelError(key, "Vous avez déjà utilisé ce mot de passe : choisissez-en un différent de vos 5 derniers mots de passe.");
                return;
            }
        }
    }

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) => hashing.HashAsync(password, cancellationToken);

    /// <summary>Sets the new hash and validity and renews the security stamp; the caller saves.</summary>
    public void Apply(Account account, string newHash, DateTimeOffset now)
    {
        if (account.PasswordHash is not null)
        {
            db.PasswordHistory.Add(new PasswordHistoryEntry
            {
                AccountId = account.Id,
                PasswordHash = account.PasswordHash,
                ChangedAt = account.PasswordChangedAt,
            });
        }
        account.PasswordHash = newHash;
        account.PasswordChangedAt = now;
        account.PasswordValidUntil = PasswordValidity.ValidUntil(now, options.Value.ValidityMonths);
        account.SecurityStamp = Guid.NewGuid().ToString("N");
    }

    /// <summary>
    /// What a password changed by its logged-in holder closes (call after SaveChanges, in the
    /// transaction): the other browsers' sessions, the reset links, and every recognised browser,
    /// this one included, which must prove itself again. The caller renews this session's cookie
    /// after the commit.
    /// </summary>
    public async Task CloseOtherAccessAsync(Guid accountId, Guid keepSession, DateTimeOffset now)
    {
        await sessions.RevokeAllAsync(accountId, keep: keepSession);
        await db.VoidResetLinksAsync(accountId, now);
        await devices.RevokeAllAsync(accountId);
    }

    /// <summary>Keeps only the last five previous hashes (call after SaveChanges).</summary>
    public async Task TrimHistoryAsync(Guid accountId)
    {
        var keep = await db.PasswordHistory.Where(h => h.AccountId == accountId)
            .OrderByDescending(h => h.ChangedAt).Take(HistoryDepth).Select(h => h.Id).ToListAsync();
        await db.PasswordHistory.Where(h => h.AccountId == accountId && !keep.Contains(h.Id)).ExecuteDeleteAsync();
    }
}
