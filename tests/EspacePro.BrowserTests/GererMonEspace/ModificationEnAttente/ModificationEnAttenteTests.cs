using EspacePro.BrowserTests.GererMonEspace.Identifiants;
using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.GererMonEspace.ModificationEnAttente;

/// <summary>
/// A change of login e-mail still waiting for its code, seen from the space: the notice on the
/// home page and on « Gérer mon espace », « Je n'ai pas reçu mon code », « Annuler la
/// modification »; then the activation wizard left with « Abandonner ».
/// </summary>
public sealed class ModificationEnAttenteTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task A_pending_change_is_shown_resent_and_cancelled_from_the_space(string viewport)
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = lila.Page;
        await lila.LogInToIdentifiersFormAsync(Sheet.Lila);
        await page.TickAsync("Modifier mon adresse électronique");
        await page.GetByLabel("Saisir ma nouvelle adresse électronique de connexion").FillAsync(EmailChangeTests.NewEmail);
        await page.GetByLabel("Confirmer ma nouvelle adresse électronique de connexion").FillAsync(EmailChangeTests.NewEmail);
        await lila.ValidateIdentifiersAsync();
        await Expect(page.GetByText("N° d'abonné : " + Sheet.Lila.SubscriberNumber)).ToBeVisibleAsync();
        var first = Sheet.ActivationCodeIn(await lila.ReadMailAsync(EmailChangeTests.NewEmail, "Espace professionnel - Code d'activation"));

        // The home page tells of the pending change.
        await page.GetByRole(AriaRole.Link, new() { Name = "Fermer", Exact = true }).ClickAsync();
        var notice = page.Locator("#modification-en-attente");
        await Expect(notice).ToContainTextAsync("Modification de l'adresse électronique en attente d'activation : li•••@espacepro.test");
        await lila.CheckPageAsync("accueil modification en attente");

        // « Je n'ai pas reçu mon code »: a new code arrives, the old one is void.
        await notice.GetByRole(AriaRole.Button, new() { Name = "Je n'ai pas reçu mon code" }).ClickAsync();
        await Expect(page.GetByText("Un nouveau code d'activation a été envoyé à l'adresse en attente.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("modification en attente code renvoyé");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string second;
        do
        {
            second = Sheet.ActivationCodeIn(await lila.ReadMailAsync(EmailChangeTests.NewEmail, "Espace professionnel - Code d'activation"));
        }
        while (second == first && DateTime.UtcNow < deadline);
        Assert.NotEqual(first, second);

        // « Annuler la modification » from « Gérer mon espace ».
        await page.GetByRole(AriaRole.Link, new() { Name = "Retourner à la gestion de mon espace" }).ClickAsync();
        await Expect(page.Locator("#modification-en-attente")).ToBeVisibleAsync();
        await lila.CheckPageAsync("gérer mon espace modification en attente");
        await page.Locator("#modification-en-attente").GetByRole(AriaRole.Button, new() { Name = "Annuler la modification" }).ClickAsync();
        await Expect(page.GetByText("La modification de votre adresse électronique de connexion a été annulée")).ToBeVisibleAsync();
        await Expect(page.Locator("#modification-en-attente")).ToHaveCountAsync(0);
        await lila.CheckPageAsync("gérer mon espace modification annulée");

        // The cancelled change's code is refused; « Abandonner » leaves the wizard for the login page.
        await lila.LogOutAsync();
        await lila.GotoAsync("/activation");
        await page.GetByLabel("Saisissez le code d'activation :").FillAsync(second);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.GetByLabel("Saisissez votre adresse électronique de connexion :").FillAsync(EmailChangeTests.NewEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.GetByText("Ce code d'activation n'est plus valable").First).ToBeVisibleAsync();
        await lila.CheckPageAsync("activation identifiants code annulé");
        await page.GetByRole(AriaRole.Button, new() { Name = "Abandonner" }).ClickAsync();
        await Expect(page.Heading("Connexion à votre Espace professionnel")).ToBeVisibleAsync();

        // « Données personnelles » lists the retention periods.
        await lila.GotoAsync("/donnees-personnelles");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "12 mois à compter de chaque événement." })).ToBeVisibleAsync();
        await lila.CheckPageAsync("données personnelles durées");
    }
}
