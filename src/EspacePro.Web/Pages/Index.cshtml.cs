using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages;

/// <summary>The space's home page in the sheet's three variants (chapter 2: no service, one company, several).</summary>
public sealed class IndexModel(EspaceProDbContext db, SessionCheckCache spaces, TimeProvider time) : PageModel
{
    public Account Account { get; private set; } = default!;
    public CompanyFile? CurrentCompany { get; private set; }
    public IReadOnlyList<(ServiceCategory Category, IReadOnlyList<ServiceGrant> Services)> Services { get; private set; } = [];
    public int DaysLeft { get; private set; }
    /// <summary>A change of login e-mail waiting for its code, shown with what can be done about it.</summary>
    public PendingEmailChange? PendingEmailChange { get; private set; }

    [TempData(Key = "HomeMessage")]
    public string? Message { get; set; }

    [BindProperty(SupportsGet = true, Name = "dossier")]
    public string? Siren { get; set; }

    public bool HasServices => Account.Companies.Any(c => c.Services.Count > 0);
    public bool SeveralCompanies => Account.Companies.Count > 1;

    public async Task OnGetAsync()
    {
        Account = await db.LoadCachedAsync(User, spaces, time);
        DaysLeft = PasswordValidity.DaysLeft(Account.PasswordValidUntil, time.GetUtcNow());
        PendingEmailChange = await db.FindLiveCachedAsync(Account.Id, spaces, time.GetUtcNow());
        var companies = Account.Companies.OrderBy(c => c.SortOrder).ThenBy(c => c.Name).ToList();
        CurrentCompany = companies.Count == 1
            ? companies[0]
            : companies.FirstOrDefault(c => c.Siren == Siren);

        // Several companies and none chosen: the services held for any of them.
        var grants = CurrentCompany is not null
            ? CurrentCompany.Services
            : companies.SelectMany(c => c.Services).DistinctBy(s => (s.Category, s.Name)).ToList();
        Services = grants
            .GroupBy(s => s.Category)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<ServiceGrant>)g.OrderBy(s => s.SortOrder).ThenBy(s => s.Name).ToList()))
            .ToList();
    }

    /// <summary>The anchor of a category's list, the target of the top menu's entry of the same name.</summary>
    public static string CategoryAnchor(ServiceCategory category) => category switch
    {
        ServiceCategory.Consult => "consulter",
        ServiceCategory.Declare => "declarer",
        ServiceCategory.Pay => "payer",
        _ => "demarches",
    };

    public static string CategoryTitle(ServiceCategory category) => category switch
    {
        ServiceCategory.Consult => "Consulter",
        ServiceCategory.Declare => "Déclarer",
        ServiceCategory.Pay => "Payer",
        _ => "Démarches",
    };
}
