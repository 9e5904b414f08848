using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Index;

public sealed class IndexTests
{
    [Fact]
    public async Task A_space_without_service_only_offers_gerer_les_services()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var home = await user.LoginAsync(Users.NoService);

        Assert.Contains("M. DURAND Paul", home.Text);
        Assert.Contains("Vous ne disposez d'aucun service.", home.Text);
        Assert.NotNull(home.Document.QuerySelector("a[href='/gerer-mon-espace']"));
        Assert.DoesNotContain("MES SERVICES", home.Text);
        Assert.DoesNotContain("DOSSIER COURANT", home.Text);
    }

    [Fact]
    public async Task A_space_with_one_company_shows_the_current_file_and_its_services_from_the_database()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var home = await user.LoginAsync(Users.Lila);

        Assert.Contains("DOSSIER COURANT", home.Text);
        Assert.Contains("SIREN 123456789", home.Text);
        Assert.Contains("SARL MARTIN DISTRIBUTION", home.Text);
        var categories = home.Document.QuerySelectorAll("#mes-services ~ div h3").Select(h => h.TextContent).ToList();
        Assert.Equal(["Consulter", "Déclarer", "Payer", "Démarches"], categories);
        Assert.Contains("Paiements transfrontaliers - CESOP", home.Text);
        Assert.Contains("Expiration du mot de passe : ", home.Text);
        Assert.DoesNotContain("MES DOSSIERS", home.Text);

        // The list is data: a service removed from the database disappears from the page.
        await app.DbAsync(async db =>
        {
            db.Services.RemoveRange(db.Services.Where(s => s.Name == "Paiements transfrontaliers - CESOP"));
            await db.SaveChangesAsync();
        });
        Assert.DoesNotContain("CESOP", (await user.GetAsync("/")).Text);
    }

    [Fact]
    public async Task A_change_made_by_another_node_shows_once_the_node_cache_has_expired()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        Assert.Contains("SARL MARTIN DISTRIBUTION", (await user.LoginAsync(Users.Lila)).Text);

        // A bulk update bypasses this node's save interceptor, as another node's write would.
        await app.DbAsync(db => db.Companies.Where(c => c.Name == "SARL MARTIN DISTRIBUTION")
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Name, "SARL MARTIN ET FILS")));
        app.Time.Advance(TimeSpan.FromSeconds(5));

        var home = await user.GetAsync("/");
        Assert.Contains("SARL MARTIN ET FILS", home.Text);
        Assert.DoesNotContain("SARL MARTIN DISTRIBUTION", home.Text);
    }

    [Fact]
    public async Task A_space_with_several_companies_lists_its_files()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var home = await user.LoginAsync(Users.SeveralCompanies);

        Assert.Contains("MES DOSSIERS", home.Text);
        Assert.NotNull(home.Document.QuerySelector("a[href='/dossiers#choisir']"));
        Assert.Contains("Voir tous mes dossiers", home.Text);
        Assert.DoesNotContain("DOSSIER COURANT", home.Text);
        // The sheet's third screen: the menu starts with « Dossier », and the portal line says « Accéder ».
        var menu = home.Document.QuerySelectorAll("#navigation a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Contains(("Dossier", "/dossiers"), menu);
        Assert.Contains("Espace professionnel > Accéder à mon compte sur portail pro.gouv", Collapse(home.Document.GetElementById("portail-pro")!.TextContent));
        Assert.Contains("non disponible", home.Document.GetElementById("portail-pro")!.TextContent);

        var files = await user.GetAsync("/dossiers");
        Assert.Contains("SCI LES TILLEULS", files.Text);
        Assert.Contains("EURL ATELIER FONTAINE", files.Text);

        var chosen = await user.GetAsync("/?dossier=732829320");
        Assert.Contains("DOSSIER COURANT", chosen.Text);
        Assert.Contains("SCI LES TILLEULS", chosen.Text);
        Assert.Contains("Revenus SCI non soumises IS", chosen.Text);
        Assert.DoesNotContain("Taxe sur les salaires", chosen.Text);
    }

    [Fact]
    public async Task A_password_expiring_within_thirty_days_is_flagged()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        Assert.NotNull((await user.LoginAsync(Users.SeveralCompanies)).Document.QuerySelector("#alerte-expiration"));
        using var other = app.NewUser();
        Assert.Null((await other.LoginAsync(Users.Lila)).Document.QuerySelector("#alerte-expiration"));
    }

    [Fact]
    public async Task Gerer_mon_espace_shows_the_four_blocks_and_no_dead_link()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.GetAsync("/gerer-mon-espace");

        foreach (var block in new[] { "SERVICES", "DONNEES PERSONNELLES", "PARTAGE DES SERVICES", "DONNEES DE L'ENTREPRISE" })
        {
            Assert.Contains(block, page.Text);
        }
        Assert.Equal("/gerer-mon-espace/identifiants",
            page.Document.QuerySelectorAll("a").Single(a => a.TextContent == "Modifier mes identifiants de connexion").GetAttribute("href"));
        // An item this demonstration does not provide is text, not a link; only its help is.
        Assert.Equal(["/aide#delegations"], page.Document.QuerySelectorAll("a")
            .Where(a => a.TextContent.Contains("Gérer mes délégations")).Select(a => a.GetAttribute("href")));
        Assert.Contains("Gérer mes délégations", page.Text);
    }

    [Fact]
    public async Task Each_item_of_gerer_mon_espace_has_en_savoir_plus_opening_its_help()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.GetAsync("/gerer-mon-espace");
        var help = await user.GetAsync("/aide");

        var items = page.Document.QuerySelectorAll(".manage-list li").Where(li => li.TextContent.Contains("En savoir plus")).ToList();
        // The sheet's ten items and « Activité de mon espace ».
        Assert.Equal(11, items.Count);
        foreach (var item in items)
        {
            var link = item.QuerySelectorAll("a").Single(a => a.TextContent.StartsWith("En savoir plus", StringComparison.Ordinal));
            var href = link.GetAttribute("href")!;
            Assert.StartsWith("/aide#", href);
            var section = help.Document.GetElementById(href["/aide#".Length..]);
            Assert.True(section is not null, href);
            // The help names the item it explains.
            Assert.Contains(section.TextContent.Replace(" (non disponible)", ""), item.TextContent);
        }
    }

    [Fact]
    public async Task The_current_file_comes_before_mon_espace_in_reading_order_and_the_sheets_blocks_are_there()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var home = await user.LoginAsync(Users.Lila);

        var headings = home.Document.QuerySelectorAll("main h2").Select(h => h.TextContent.Trim()).ToList();
        Assert.True(headings.IndexOf("DOSSIER COURANT") is >= 0 and var file && file < headings.IndexOf("MON ESPACE"), string.Join(" | ", headings));
        Assert.Contains("Messagerie", headings);
        Assert.Contains("Connaissez-vous le droit à l'erreur ?", home.Text);
        // « [+] » entries unfold instead of showing the sign.
        Assert.DoesNotContain("[+]", home.Text);
        var summaries = home.Document.QuerySelectorAll("details > summary").Select(s => s.TextContent.Trim()).ToList();
        Assert.Contains("Compte fiscal", summaries);
        Assert.Contains("Gérer les comptes bancaires", summaries);
        Assert.Contains("Adresse électronique de l'entreprise", summaries);
        // The top menu of the sheet, each entry leading to its list on this page.
        var menu = home.Document.QuerySelectorAll("#navigation a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        // One company: no « Dossier » entry, and the portal line offers to create the account.
        Assert.DoesNotContain(menu, entry => entry.Item1 == "Dossier");
        Assert.Contains("Espace professionnel > Créer mon compte sur portail pro.gouv", Collapse(home.Document.GetElementById("portail-pro")!.TextContent));
        foreach (var (label, anchor) in new[] { ("Consulter", "consulter"), ("Déclarer", "declarer"), ("Payer", "payer"), ("Démarches", "demarches"), ("Messagerie", "messagerie") })
        {
            Assert.Contains((label, "/#" + anchor), menu);
            Assert.NotNull(home.Document.GetElementById(anchor));
        }
    }

    private static string Collapse(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
