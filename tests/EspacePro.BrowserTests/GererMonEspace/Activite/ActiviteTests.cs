using System.Text.RegularExpressions;
using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.GererMonEspace.Activite;

/// <summary>
/// « Activité de mon espace »: reached from « Gérer mon espace », a session opened in a second
/// browser is closed from the first (and is then refused), the rest closed with the keyboard,
/// and « Je ne reconnais pas cette activité » leads to the password change.
/// </summary>
public sealed class ActiviteTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string PageTitle = "Activité de mon espace";

    private static ILocator SessionRows(IPage page) =>
        page.Locator("section[aria-labelledby=titre-sessions] tbody tr");

    private static async Task OpenActivityAsync(BrowserUser user)
    {
        await user.Page.GetByRole(AriaRole.Link, new() { Name = "Activité de mon espace (connexions et sessions)", Exact = true }).ClickAsync();
        await Expect(user.Page.Heading(PageTitle)).ToBeVisibleAsync();
    }

    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task Another_browsers_session_is_closed_from_the_activity_page(string viewport)
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = lila.Page;
        await lila.GotoAsync("/connexion");
        await lila.LogInAsync(Sheet.Lila);
        await lila.ManageSpaceAsync();
        await OpenActivityAsync(lila);
        await Expect(SessionRows(page)).ToHaveCountAsync(1);
        await Expect(SessionRows(page).First).ToContainTextAsync("Cette session");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Connexion à votre espace" })).ToBeVisibleAsync();
        await lila.CheckPageAsync("activite une session");

        // A second browser logs in to the same space.
        var other = await OpenBrowserAsync(app, Viewport.Named(viewport), "autre");
        await other.GotoAsync("/connexion");
        await other.LogInAsync(Sheet.Lila);

        await page.ReloadAsync();
        await Expect(SessionRows(page)).ToHaveCountAsync(2);
        await lila.CheckPageAsync("activite deux sessions");
        await lila.ScreenAsync("activite");

        // « Fermer » on the other session's line: that browser is refused from then on.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Fermer la session") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("La session a été fermée");
        await Expect(SessionRows(page)).ToHaveCountAsync(1);
        await lila.CheckPageAsync("activite session fermee");
        await other.GotoAsync("/");
        await Expect(other.Page).ToHaveURLAsync(new Regex("/connexion"));

        // It logs in again; this time « Fermer toutes les autres sessions », from the keyboard.
        await other.LogInAsync(Sheet.Lila);
        await page.ReloadAsync();
        var closeAll = page.GetByRole(AriaRole.Button, new() { Name = "Fermer toutes les autres sessions" });
        await closeAll.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Toutes les autres sessions ont été fermées");
        await Expect(page.GetByText("Aucun autre navigateur n'est connecté à votre espace.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Fermeture de toutes les autres sessions depuis « Activité de mon espace »" })).ToBeVisibleAsync();
        await lila.CheckPageAsync("activite autres sessions fermees");
        await other.GotoAsync("/");
        await Expect(other.Page).ToHaveURLAsync(new Regex("/connexion"));

        // « Je ne reconnais pas cette activité » → the password section of the identifiers form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Modifier mon mot de passe" }).ClickAsync();
        await Expect(page.Heading("Modifier mes identifiants de connexion")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Modifier mon mot de passe" })).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Saisir mon nouveau mot de passe")).ToBeVisibleAsync();
        await lila.CheckPageAsync("identifiants mot de passe ouvert");
    }
}
