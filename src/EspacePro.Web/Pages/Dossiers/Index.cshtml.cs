using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.Dossiers;

public sealed class IndexModel(EspaceProDbContext db) : PageModel
{
    public IReadOnlyList<CompanyFile> Companies { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var account = await db.LoadAsync(User, withCompanies: true);
        Companies = account.Companies.OrderBy(c => c.SortOrder).ThenBy(c => c.Name).ToList();
    }
}
