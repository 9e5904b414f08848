using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace.Activite;

/// <summary>
/// « Activité de mon espace »: the open sessions, each closable, and the journal of the
/// space's security events. The space is always the signed-in one (taken from the auth
/// cookie); a session id posted only ever names a session of that space.
/// </summary>
public sealed class IndexModel(EspaceProDbContext db, AccountSessions sessions, TrustedDevices devices, Audit audit, TimeProvider time) : PageModel
{
    public const string Path = "/gerer-mon-espace/activite";

    /// <summary>Where « Je ne reconnais pas cette activité » leads: the identifiers form, password section open.</summary>
    public const string ChangePasswordPath = "/gerer-mon-espace/identifiants?modifier=mot-de-passe#legende-mot-de-passe";

    [TempData]
    public string? StatusMessage { get; set; }

    /// <summary>
    /// A holder has a few sessions; whoever has the password can open thousands. The page lists
    /// the most recent ones, and « Fermer toutes les autres sessions » closes them all.
    /// </summary>
    public const int SessionsShown = 50;

    public IReadOnlyList<AccountSession> Sessions { get; private set; } = [];
    public bool MoreSessions { get; private set; }
    public Guid CurrentSessionId { get; private set; }
    public Journal.Page Journal { get; private set; } = new([], null);

    /// <summary>Recognised browsers listed; a space rarely has more, and each can be forgotten.</summary>
    public const int DevicesShown = 50;

    public IReadOnlyList<TrustedDevice> Devices { get; private set; } = [];
    /// <summary>This browser's device for the space, when it is recognised.</summary>
    public Guid? ThisDeviceId { get; private set; }
    /// <summary>True on the later pages of the journal (reached through « Activité plus ancienne »).</summary>
    public bool IsLaterPage { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "avant")] string? from)
    {
        JournalCursor? cursor = null;
        if (from is not null && !JournalCursor.TryParse(from, out cursor))
        {
            return BadRequest();
        }
        var accountId = AccountId;
        CurrentSessionId = AccountSessions.GetSessionId(User)!.Value;
        var open = await sessions.ListOpenAsync(accountId, SessionsShown + 1);
        MoreSessions = open.Count > SessionsShown;
        // The current session first (seen within the last minute, it is among the most recent).
        Sessions = open.OrderByDescending(s => s.Id == CurrentSessionId).Take(SessionsShown).ToList();
        Devices = await devices.ListLiveAsync(accountId, DevicesShown);
        ThisDeviceId = await devices.RecognizeAsync(HttpContext, accountId);
        Journal = await Activite.Journal.ReadAsync(db, accountId, time.GetUtcNow(), cursor, HttpContext.RequestAborted);
        IsLaterPage = cursor is not null;
        return Page();
    }

    /// <summary>« Fermer »: one other session of this space.</summary>
    public async Task<IActionResult> OnPostCloseAsync(Guid session)
    {
        var accountId = AccountId;
        // The current session is closed with « Me déconnecter », not from here.
        if (session != AccountSessions.GetSessionId(User) && await CloseAsync(accountId, async () => await sessions.RevokeAsync(accountId, session) ? 1 : 0, "session.closed"))
        {
            StatusMessage = "La session a été fermée : le navigateur qui l'utilisait doit se connecter de nouveau.";
        }
        else
        {
            StatusMessage = "Cette session était déjà fermée.";
        }
        return Redirect(Path);
    }

    /// <summary>« Oublier cet appareil »: one recognised browser of this space stops being recognised.</summary>
    public async Task<IActionResult> OnPostForgetDeviceAsync(Guid device)
    {
        var accountId = AccountId;
        if (await devices.ForgetAsync(HttpContext, accountId, device))
        {
            await audit.RecordNowAsync("device.forgotten", accountId);
            StatusMessage = "Ce navigateur n'est plus reconnu pour votre espace : à sa prochaine connexion, il sera traité comme un nouvel appareil.";
        }
        else
        {
            StatusMessage = "Ce navigateur n'était déjà plus reconnu.";
        }
        return Redirect(Path);
    }

    /// <summary>« Fermer toutes les autres sessions »: every session of this space but the current one.</summary>
    public async Task<IActionResult> OnPostCloseOthersAsync()
    {
        var accountId = AccountId;
        var current = AccountSessions.GetSessionId(User);
        StatusMessage = await CloseAsync(accountId, () => sessions.RevokeAllAsync(accountId, keep: current), "sessions.closed")
            ? "Toutes les autres sessions ont été fermées : seule cette session reste ouverte."
            : "Aucune autre session n'était ouverte.";
        return Redirect(Path);
    }

    /// <summary>
    /// Closes and records it in one transaction; false when nothing was open. A request of a
    /// closed session that this node reads before the commit is refused once its cache entry
    /// expires: the same bound as on the other nodes.
    /// </summary>
    private async Task<bool> CloseAsync(Guid accountId, Func<Task<int>> close, string eventType)
    {
        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        var closed = await close();
        if (closed == 0)
        {
            return false;
        }
        audit.Record(eventType, accountId, new { count = closed });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return true;
    }

    private Guid AccountId => AccountSessions.GetAccountId(User)
        ?? throw new InvalidOperationException("The page requires a signed-in space.");
}
