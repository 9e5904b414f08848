using System.Security.Claims;
using EspacePro.Data;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

public static class CurrentAccount
{
    /// <summary>The signed-in space, always taken from the authentication cookie (SECURITY.md §16).</summary>
    public static async Task<Account> LoadAsync(this EspaceProDbContext db, ClaimsPrincipal user, bool withCompanies = false)
    {
        var id = AccountSessions.GetAccountId(user)
            ?? throw new InvalidOperationException("No signed-in account.");
        IQueryable<Account> query = db.Users;
        if (withCompanies)
        {
            // One round trip: a space holds a few companies with a few dozen services each.
            query = query.AsNoTracking().Include(a => a.Companies).ThenInclude(c => c.Services).AsSingleQuery();
        }
        return await query.FirstAsync(a => a.Id == id);
    }

    /// <summary>"Mme", "M."</summary>
    public static string CivilityShort(this Account account) => account.Civility == Civility.Madame ? "Mme" : "M.";

    /// <summary>"ROSEMONDE Lila", as the sheet writes names.</summary>
    public static string DisplayName(this Account account) =>
        account.LastName.ToUpper(Common.FrenchFormat.Culture) + " " + account.FirstName;
}
