using System.Security.Claims;
using EspacePro.Data;
using EspacePro.Web.Common;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

public static class CurrentAccount
{
    /// <summary>The signed-in space, always taken from the authentication cookie (docs/security.md R24).</summary>
    public static async Task<Account> LoadAsync(this EspaceProDbContext db, ClaimsPrincipal user)
    {
        var id = AccountSessions.GetAccountId(user)
            ?? throw new InvalidOperationException("No signed-in account.");
        return await db.Users.FirstAsync(a => a.Id == id);
    }

    /// <summary>
    /// The signed-in space with its companies and services, for read-only pages (home, folders):
    /// from this node's <see cref="SessionCheckCache"/> when read lately for the same security
    /// stamp. The result is shared: never modify it.
    /// </summary>
    public static async Task<Account> LoadCachedAsync(this EspaceProDbContext db, ClaimsPrincipal user, SessionCheckCache cache, TimeProvider time)
    {
        var id = AccountSessions.GetAccountId(user)
            ?? throw new InvalidOperationException("No signed-in account.");
        var stamp = user.FindFirstValue(AccountSessions.SecurityStampClaimType);
        if (cache.TryGetAccount(id, stamp, out var space))
        {
            return space;
        }
        var readAt = time.GetUtcNow();
        space = await ReadAccountAsync(db, id);
        cache.SetAccount(space, readAt);
        return space;
    }

    /// <summary>The space's row once, then its companies with their services; not one wide row of the space per service.</summary>
    private static async Task<Account> ReadAccountAsync(EspaceProDbContext db, Guid id)
    {
        var account = await AccountById.For(db)(db, id);
        await foreach (var company in CompaniesOf.For(db)(db, id))
        {
            account.Companies.Add(company);
        }
        return account;
    }

    private static readonly CompiledPerModel<Func<EspaceProDbContext, Guid, Task<Account>>> AccountById = new(() =>
        EF.CompileAsyncQuery((EspaceProDbContext db, Guid id) => db.Users.AsNoTracking().First(a => a.Id == id)));

    private static readonly CompiledPerModel<Func<EspaceProDbContext, Guid, IAsyncEnumerable<CompanyFile>>> CompaniesOf = new(() =>
        EF.CompileAsyncQuery((EspaceProDbContext db, Guid id) =>
            db.Companies.AsNoTracking().Include(c => c.Services).Where(c => c.AccountId == id).AsSingleQuery()));

    /// <summary>"Mme", "M."</summary>
    public static string CivilityShort(this Account account) => account.Civility == Civility.Madame ? "Mme" : "M.";

    /// <summary>"ROSEMONDE Lila", as the sheet writes names.</summary>
    public static string DisplayName(this Account account) =>
        account.LastName.ToUpper(Common.FrenchFormat.Culture) + " " + account.FirstName;
}
