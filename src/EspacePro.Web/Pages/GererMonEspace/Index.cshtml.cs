using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace;

public sealed class IndexModel(EspaceProDbContext db) : PageModel
{
    public Account Account { get; private set; } = default!;

    [Microsoft.AspNetCore.Mvc.TempData]
    public string? StatusMessage { get; set; }

    public async Task OnGetAsync() => Account = await db.LoadAsync(User);
}
