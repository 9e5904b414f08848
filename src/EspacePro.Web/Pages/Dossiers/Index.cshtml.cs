using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.Dossiers;

public sealed class IndexModel(EspaceProDbContext db, SessionCheckCache spaces, TimeProvider time) : PageModel
{
    public IReadOnlyList<CompanyFile> Companies { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var account = await db.LoadCachedAsync(User, spaces, time);
        Companies = account.Companies.OrderBy(c => c.SortOrder).ThenBy(c => c.Name).ToList();
    }
}
