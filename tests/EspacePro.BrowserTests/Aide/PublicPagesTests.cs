using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.Aide;

/// <summary>
/// The pages a person reaches without logging in, and the error states of the login page:
/// help (the sheet's chapter 6), privacy, the 404 page, a stale cancellation link, the empty mailbox page.
/// </summary>
public sealed class PublicPagesTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task Public_pages_and_error_states_are_accessible(string viewport)
    {
        var app = await StartAppAsync();
        var visitor = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = visitor.Page;

        // An empty mailbox, before anything was sent.
        await visitor.GotoAsync("/dev/courriels");
        await Expect(page.GetByText("Aucun courriel pour le moment.")).ToBeVisibleAsync();
        await visitor.CheckPageAsync("courriels aucun");

        // « Besoin d'aide ? » → the help page, with the assistance of the sheet's chapter 6.
        await visitor.GotoAsync("/connexion");
        await page.GetByRole(AriaRole.Link, new() { Name = "Accéder aux fiches pratiques." }).ClickAsync();
        await Expect(page.Heading("Aide : modifier mes identifiants de connexion")).ToBeVisibleAsync();
        await Expect(page.GetByText("0809 400 210").First).ToBeVisibleAsync();
        await visitor.CheckPageAsync("aide");

        // The footer's « Données personnelles ».
        await page.GetByRole(AriaRole.Link, new() { Name = "Données personnelles", Exact = true }).ClickAsync();
        await Expect(page.Heading("Données personnelles")).ToBeVisibleAsync();
        await visitor.CheckPageAsync("données personnelles");

        // An unknown address.
        var response = await page.GotoAsync("/cette-page-n-existe-pas");
        Assert.Equal(404, response!.Status);
        await Expect(page.Heading("Page non trouvée")).ToBeVisibleAsync();
        await visitor.CheckPageAsync("erreur 404");

        // A cancellation link that is not (or no longer) valid.
        await visitor.GotoAsync("/annulation/lien-perime");
        await Expect(page.GetByText("Ce lien n'est plus valable")).ToBeVisibleAsync();
        await visitor.CheckPageAsync("annulation lien périmé");

        // « Se connecter » with nothing typed: the errors are listed and linked to their fields.
        await visitor.GotoAsync("/connexion");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Mot de passe oublié ?" })).ToHaveAttributeAsync("href", "/mot-de-passe-oublie");
        await page.GetByRole(AriaRole.Button, new() { Name = "Masquer le message" }).ClickAsync();
        await Expect(page.GetByText("Pour des raisons de sécurité, le mot de passe doit être renouvelé")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        var summary = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" });
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Saisissez votre adresse électronique." })).ToHaveAttributeAsync("href", "#email");
        await visitor.CheckPageAsync("connexion erreurs");

        // « Activer » with a malformed code.
        await page.GetByRole(AriaRole.Link, new() { Name = "Activer", Exact = true }).ClickAsync();
        await page.GetByLabel("Saisissez le code d'activation :").FillAsync("1234");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.GetByText("Le code d'activation comporte 12 lettres").First).ToBeVisibleAsync();
        await visitor.CheckPageAsync("activation code mal formé");
    }
}
