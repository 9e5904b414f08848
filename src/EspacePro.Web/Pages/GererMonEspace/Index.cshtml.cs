using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace;

public sealed class IndexModel(EspaceProDbContext db, TrustedDevices devices, Audit audit, TimeProvider time) : PageModel
{
    public Account Account { get; private set; } = default!;

    /// <summary>Whether this browser is recognised for the space (then « Oublier cet appareil » is offered).</summary>
    public bool DeviceRecognised { get; private set; }

    [TempData]
    public string? StatusMessage { get; set; }

    /// <summary>A change of login e-mail waiting for its code, shown with what can be done about it.</summary>
    public PendingEmailChange? PendingEmailChange { get; private set; }

    public async Task OnGetAsync()
    {
        Account = await db.LoadAsync(User);
        PendingEmailChange = await db.FindLiveAsync(Account.Id, time.GetUtcNow());
        DeviceRecognised = await devices.RecognizeAsync(HttpContext, Account.Id) is not null;
    }

    /// <summary>« Oublier cet appareil »: this browser stops being recognised; the session stays open.</summary>
    public async Task<IActionResult> OnPostForgetDeviceAsync()
    {
        var accountId = AccountSessions.GetAccountId(User)!.Value;
        await devices.ForgetThisBrowserAsync(HttpContext, accountId);
        await audit.RecordNowAsync("device.forgotten", accountId);
        StatusMessage = "Ce navigateur n'est plus reconnu pour votre espace : la prochaine connexion y sera traitée comme sur un nouvel appareil.";
        return RedirectToPage();
    }
}
