using EspacePro.BrowserTests.GererMonEspace.Identifiants;
using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.Clavier;

/// <summary>
/// The e-mail change and its activation with the keyboard only (RGAA 7.3, 10.7, 11.10): every
/// control reached with Tab shows its focus, boxes tick with Space, forms go with Enter, and
/// after a refused form the error summary takes the focus and links to the fields.
/// </summary>
public sealed class KeyboardTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Email_change_and_activation_work_with_the_keyboard_only()
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Desktop);
        var page = lila.Page;
        var keys = page.Keyboard;
        await lila.GotoAsync("/connexion");
        var codesBefore = await lila.CountMailsAsync(Sheet.Lila.Email, Sheet.LoginCodeSubject);

        await page.TabToAsync(page.GetByLabel("Adresse électronique"));
        await keys.TypeAsync(Sheet.Lila.Email);
        await page.TabToAsync(page.GetByLabel("Mot de passe", new() { Exact = true }));
        await keys.TypeAsync(Sheet.Lila.Password);
        await keys.PressAsync("Enter");
        // A new browser: the « code de sécurité » from the mail, typed too.
        await Expect(page.Heading("Saisissez le code de sécurité reçu par courriel")).ToBeVisibleAsync();
        var loginCode = Sheet.LoginCodeIn(await lila.ReadMailAsync(Sheet.Lila.Email, Sheet.LoginCodeSubject, newerThan: codesBefore));
        await page.TabToAsync(page.GetByLabel("Code de sécurité"));
        await keys.TypeAsync(loginCode);
        await keys.PressAsync("Enter");
        await Expect(page.Heading("DOSSIER COURANT")).ToBeVisibleAsync();

        await page.TabToAsync(page.Visible(AriaRole.Link, "Gérer les services"));
        await keys.PressAsync("Enter");
        await Expect(page.Heading("Gérer mon espace")).ToBeVisibleAsync();
        await page.TabToAsync(page.GetByRole(AriaRole.Link, new() { Name = "Modifier mes identifiants de connexion", Exact = true }));
        await keys.PressAsync("Enter");
        await Expect(page.Heading("Modifier mes identifiants de connexion")).ToBeVisibleAsync();

        var tick = page.GetByRole(AriaRole.Checkbox, new() { Name = "Modifier mon adresse électronique" });
        await page.TabToAsync(tick);
        await keys.PressAsync("Space");
        await Expect(tick).ToBeCheckedAsync();
        var newEmail = page.GetByLabel("Saisir ma nouvelle adresse électronique de connexion");
        await Expect(newEmail).ToBeVisibleAsync();

        // « Valider » with the section open and empty: the summary is focused (and announced: role alert).
        await page.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Valider" }));
        await keys.PressAsync("Enter");
        var summary = page.Locator("#erreurs");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary).ToHaveAttributeAsync("role", "alert");
        var links = summary.GetByRole(AriaRole.Link);
        Assert.True(await links.CountAsync() >= 2);
        foreach (var href in await links.EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
        {
            await Expect(page.Locator(href)).ToBeAttachedAsync();
        }
        // The first link puts the focus in the new address field.
        await keys.PressAsync("Tab");
        await Expect(links.First).ToBeFocusedAsync();
        await Expect(links.First).ToHaveAttributeAsync("href", "#input-newemail");
        await keys.PressAsync("Enter");
        await Expect(newEmail).ToBeFocusedAsync();
        await Expect(newEmail).ToBeInViewportAsync();
        await keys.TypeAsync(EmailChangeTests.NewEmail);
        await page.TabToAsync(page.GetByLabel("Confirmer ma nouvelle adresse électronique de connexion"));
        await keys.TypeAsync(EmailChangeTests.NewEmail);
        await keys.PressAsync("Enter");
        await Expect(page.GetByText("Enregistrement effectué.")).ToBeVisibleAsync();

        var code = Sheet.ActivationCodeIn(await lila.ReadMailAsync(EmailChangeTests.NewEmail, "Espace professionnel - Code d'activation"));

        // « Me déconnecter », then « Activer » on the page that confirms it.
        await page.TabToAsync(page.Visible(AriaRole.Button, "Me déconnecter"), backwards: true);
        await keys.PressAsync("Enter");
        await Expect(page.Heading("Vous êtes déconnecté")).ToBeVisibleAsync();
        await page.TabToAsync(page.GetByRole(AriaRole.Link, new() { Name = "Activer", Exact = true }));
        await keys.PressAsync("Enter");
        await Expect(page.Heading("Code d'activation")).ToBeVisibleAsync();

        // Step 1, an empty « Continuer » first: the summary takes the focus again.
        await page.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }));
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#erreurs")).ToBeFocusedAsync();
        await page.TabToAsync(page.GetByLabel("Saisissez le code d'activation :"));
        await keys.TypeAsync(code);
        await keys.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/activation/identifiants$"));

        // Step 2.
        await Expect(page.Heading("Identifiants")).ToBeVisibleAsync();
        await page.TabToAsync(page.GetByLabel("Saisissez votre adresse électronique de connexion :"));
        await keys.TypeAsync(EmailChangeTests.NewEmail);
        await keys.PressAsync("Enter");

        // Step 3: the recap is saved with Enter on its link.
        await Expect(page.Heading("Votre modification")).ToBeVisibleAsync();
        var recap = page.GetByRole(AriaRole.Link, new() { Name = "Sauvegardez ou imprimez le récapitulatif" });
        await page.TabToAsync(recap);
        var download = await page.RunAndWaitForDownloadAsync(() => keys.PressAsync("Enter"));
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.OrdinalIgnoreCase);
    }
}
