using EspacePro.BrowserTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.Connexion;

/// <summary>
/// The login captcha, on in this app instance only: the image is drawn, « Changer l'image »
/// swaps it, a wrong answer is refused, and the right one (read from the app's database, as
/// no test can read the pixels) lets the person in.
/// </summary>
public sealed class CaptchaTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Login_needs_the_characters_of_the_image()
    {
        var app = await StartAppAsync(new Dictionary<string, string?> { ["Captcha:Enabled"] = "true" });
        var lila = await OpenBrowserAsync(app, Viewport.Desktop);
        var page = lila.Page;
        await lila.GotoAsync("/connexion");

        var image = page.GetByRole(AriaRole.Img, new() { Name = "Image de vérification" });
        await Expect(image).ToBeVisibleAsync();
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The captcha image did not load.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ecouter l'extrait sonore" })).ToBeVisibleAsync();
        await lila.CheckPageAsync("connexion avec captcha");
        await lila.ScreenAsync("connexion");

        var firstSource = await image.GetAttributeAsync("src");
        await page.GetByRole(AriaRole.Button, new() { Name = "Changer l'image" }).ClickAsync();
        await Expect(image).Not.ToHaveAttributeAsync("src", firstSource!);

        await lila.SubmitLoginAsync(Sheet.Lila.Email, Sheet.Lila.Password, captcha: "zzzzzz");
        await Expect(page.GetByText("Les caractères saisis ne correspondent pas à l'image.").First).ToBeVisibleAsync();
        await lila.CheckPageAsync("connexion captcha refusé");

        var answer = await CurrentAnswerAsync(app, page);
        await lila.LogInAsync(Sheet.Lila.Email, Sheet.Lila.Password, captcha: answer.ToLowerInvariant());
        await Expect(page.Heading("DOSSIER COURANT")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Login_with_the_automatic_check_needs_no_characters()
    {
        var app = await StartAppAsync(new Dictionary<string, string?> { ["Captcha:Enabled"] = "true" });
        var lila = await OpenBrowserAsync(app, Viewport.Desktop);
        var page = lila.Page;
        await lila.GotoAsync("/connexion");

        await page.GetByRole(AriaRole.Button, new() { Name = "Je ne peux ni lire ni écouter les caractères : vérification automatique" }).ClickAsync();
        // The worker finds the number; the page says so in its live region and hides the characters.
        var status = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Vérification automatique" });
        await Expect(status).ToHaveTextAsync("Vérification automatique réussie : vous pouvez valider le formulaire.", new() { Timeout = 60_000 });
        await Expect(page.GetByLabel("Recopier les caractères")).Not.ToBeVisibleAsync();
        await lila.CheckPageAsync("connexion vérification automatique réussie");
        await lila.ScreenAsync("connexion-verification-automatique");

        // No characters typed: the proof of work stands in for them.
        await lila.LogInAsync(Sheet.Lila);
        await Expect(page.Heading("DOSSIER COURANT")).ToBeVisibleAsync();
        Assert.Equal(0, await app.DbAsync(db => db.Captchas.CountAsync()));
    }

    private static async Task<string> CurrentAnswerAsync(AppServer app, IPage page)
    {
        var id = await page.Locator("[data-captcha-id]").InputValueAsync();
        return await app.DbAsync(db => db.Captchas.Where(c => c.Id == id).Select(c => c.Answer).SingleAsync());
    }
}
