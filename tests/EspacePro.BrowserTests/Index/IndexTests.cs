using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.Index;

/// <summary>
/// Sheet chapter 2, « Accès à votre espace professionnel »: log in as each demo user, see the
/// home page variant (« Écran 1 », « Écran 2 », « Écran 3 »), then « Gérer les services » →
/// « Modifier mes identifiants de connexion ».
/// </summary>
public sealed class IndexTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task Each_demo_user_logs_in_sees_their_home_and_reaches_the_identifiers_form(string viewport)
    {
        var app = await StartAppAsync();

        // « Écran 1 »: no service.
        var paul = await OpenBrowserAsync(app, Viewport.Named(viewport), "paul");
        await paul.GotoAsync("/aide");
        await paul.GoToLoginAsync();
        await paul.CheckPageAsync("connexion");
        await paul.LogInAsync(Sheet.NoService);
        var page = paul.Page;
        await Expect(page.GetByText("M. DURAND Paul")).ToBeVisibleAsync();
        await Expect(page.GetByText("Abonné : " + Sheet.NoService.SubscriberNumber)).ToBeVisibleAsync();
        await Expect(page.Heading("Vous ne disposez d'aucun service.")).ToBeVisibleAsync();
        await Expect(page.Heading("MES SERVICES")).ToHaveCountAsync(0);
        await paul.CheckPageAsync("accueil sans service");
        await VisitIdentifiersFormAsync(paul);

        // « Écran 2 »: services for one company.
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport), "lila");
        await lila.GotoAsync("/aide");
        await lila.GoToLoginAsync();
        await lila.LogInAsync(Sheet.Lila);
        page = lila.Page;
        await Expect(page.GetByText("Mme ROSEMONDE Lila")).ToBeVisibleAsync();
        await Expect(page.GetByText("Abonné : " + Sheet.Lila.SubscriberNumber)).ToBeVisibleAsync();
        await Expect(page.GetByText(new System.Text.RegularExpressions.Regex(@"Expiration du mot de passe : \d{2}/\d{2}/\d{4}"))).ToBeVisibleAsync();
        await Expect(page.Heading("DOSSIER COURANT")).ToBeVisibleAsync();
        await Expect(page.GetByText("SIREN 123456789")).ToBeVisibleAsync();
        await Expect(page.GetByText("SARL MARTIN DISTRIBUTION")).ToBeVisibleAsync();
        await Expect(page.Heading("MES SERVICES")).ToBeVisibleAsync();
        foreach (var category in new[] { "Consulter", "Déclarer", "Payer", "Démarches" })
        {
            await Expect(page.Heading(category)).ToBeVisibleAsync();
        }
        await Expect(page.GetByText("Paiements transfrontaliers - CESOP")).ToBeVisibleAsync();
        await Expect(page.Heading("MES DOSSIERS")).ToHaveCountAsync(0);
        // The sheet's reading order, on a phone as on a desktop: the current file, then « MON ESPACE ».
        var file = await page.Heading("DOSSIER COURANT").BoundingBoxAsync();
        var space = await page.Heading("MON ESPACE").BoundingBoxAsync();
        Assert.True(file!.Y < space!.Y, $"DOSSIER COURANT at {file.Y}, MON ESPACE at {space.Y}");
        await Expect(page.Heading("Messagerie")).ToBeVisibleAsync();
        await Expect(page.GetByText("Connaissez-vous le droit à l'erreur ?")).ToBeVisibleAsync();
        await lila.CheckPageAsync("accueil un dossier");
        // A « [+] » entry of the sheet unfolds.
        await page.GetByText("Compte fiscal", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByText("Les rubriques de « Compte fiscal » ne sont pas disponibles dans cette démonstration.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("accueil un dossier rubrique dépliée");
        await lila.ScreenAsync("accueil");
        await VisitIdentifiersFormAsync(lila, screen: "identifiants");

        // « Écran 3 »: services for several companies, and a password expiring in 20 days.
        var claire = await OpenBrowserAsync(app, Viewport.Named(viewport), "claire");
        await claire.GotoAsync("/aide");
        await claire.GoToLoginAsync();
        await claire.LogInAsync(Sheet.SeveralCompanies);
        page = claire.Page;
        await Expect(page.GetByText("Mme FONTAINE Claire")).ToBeVisibleAsync();
        await Expect(page.Heading("MES DOSSIERS")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Choisir un dossier" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Votre mot de passe expire dans 20 jours")).ToBeVisibleAsync();
        await claire.CheckPageAsync("accueil plusieurs dossiers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Voir tous mes dossiers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "SCI LES TILLEULS", Exact = true })).ToBeVisibleAsync();
        await claire.CheckPageAsync("dossiers");
        await page.GoBackAsync();
        await VisitIdentifiersFormAsync(claire);
    }

    private static async Task VisitIdentifiersFormAsync(BrowserUser user, string? screen = null)
    {
        await user.ManageSpaceAsync();
        foreach (var block in new[] { "SERVICES", "DONNEES PERSONNELLES", "PARTAGE DES SERVICES", "DONNEES DE L'ENTREPRISE" })
        {
            await Expect(user.Page.Heading(block)).ToBeVisibleAsync();
        }
        await user.CheckPageAsync("gérer mon espace");
        await user.OpenIdentifiersFormAsync();
        await user.CheckPageAsync("identifiants formulaire vide");
        if (screen is not null)
        {
            // The sheet's screenshot shows the three sections open.
            foreach (var box in new[] { "Modifier mon adresse électronique", "Modifier mon mot de passe", "Modifier ma question de confiance" })
            {
                await user.Page.TickAsync(box);
            }
            await user.CheckPageAsync("identifiants trois sections ouvertes");
            await user.ScreenAsync(screen);
        }
        await user.Page.GetByRole(AriaRole.Link, new() { Name = "Retourner à la gestion de mon espace" }).ClickAsync();
        await Expect(user.Page.Heading("Gérer mon espace")).ToBeVisibleAsync();
        await user.LogOutAsync();
        await user.CheckPageAsync("déconnecté");
    }
}
