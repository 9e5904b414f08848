using EspacePro.Web.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.Dev.Courriels;

/// <summary>
/// Development only: the mails the app "sent" to the mail folder, where a developer reads an
/// activation code or a reset link. 404 unless <see cref="DevMailbox.IsEnabled"/>.
/// </summary>
[AllowAnonymous]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(DevMailbox mailbox) : PageModel
{
    public IReadOnlyList<DevMailbox.Summary> Mails { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!mailbox.IsEnabled)
        {
            return NotFound();
        }
        Mails = await mailbox.ListAsync(cancellationToken);
        return Page();
    }
}
