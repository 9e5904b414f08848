using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Recap;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace.Recapitulatif;

/// <summary>« Télécharger mon récapitulatif » from the space: the signed-in owner's own data only.</summary>
public sealed class IndexModel(EspaceProDbContext db, RecapDownloads downloads) : PageModel
{
    public async Task<IActionResult> OnGetAsync() =>
        await downloads.DownloadAsync(HttpContext, await db.LoadAsync(User), "space");
}
