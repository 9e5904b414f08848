using EspacePro.Web.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MimeKit;

namespace EspacePro.Web.Pages.Dev.Courriels;

/// <summary>One mail of the Development mail folder: its headers, its text, and its HTML part on its own address.</summary>
[AllowAnonymous]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class MessageModel(DevMailbox mailbox) : PageModel
{
    /// <summary>
    /// The HTML part is mail content, not the site's: nothing may run or load from it; inline
    /// styles and data: images are what mail HTML uses.
    /// </summary>
    public const string HtmlPartPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

    public string Id { get; private set; } = "";
    public MimeMessage Message { get; private set; } = default!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var message = mailbox.IsEnabled ? await mailbox.FindAsync(id, cancellationToken) : null;
        if (message is null)
        {
            return NotFound();
        }
        (Id, Message) = (id, message);
        return Page();
    }

    public async Task<IActionResult> OnGetHtmlAsync(string id, CancellationToken cancellationToken)
    {
        var message = mailbox.IsEnabled ? await mailbox.FindAsync(id, cancellationToken) : null;
        if (message?.HtmlBody is not { } html)
        {
            return NotFound();
        }
        Response.Headers.ContentSecurityPolicy = HtmlPartPolicy;
        return Content(html, "text/html; charset=utf-8");
    }
}
