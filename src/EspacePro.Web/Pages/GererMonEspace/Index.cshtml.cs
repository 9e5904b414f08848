using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace;

public sealed class IndexModel(EspaceProDbContext db, TimeProvider time) : PageModel
{
    public Account Account { get; private set; } = default!;

    [Microsoft.AspNetCore.Mvc.TempData]
    public string? StatusMessage { get; set; }

    /// <summary>A change of login e-mail waiting for its code, shown with what can be done about it.</summary>
    public PendingEmailChange? PendingEmailChange { get; private set; }

    public async Task OnGetAsync()
    {
        Account = await db.LoadAsync(User);
        PendingEmailChange = await db.FindLiveAsync(Account.Id, time.GetUtcNow());
    }
}
