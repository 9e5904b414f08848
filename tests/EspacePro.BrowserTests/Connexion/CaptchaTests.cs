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
        await lila.SubmitLoginAsync(Sheet.Lila.Email, Sheet.Lila.Password, captcha: answer.ToLowerInvariant());
        await Expect(page.Heading("DOSSIER COURANT")).ToBeVisibleAsync();
    }

    private static async Task<string> CurrentAnswerAsync(AppServer app, IPage page)
    {
        var id = await page.Locator("[data-captcha-id]").InputValueAsync();
        return await app.DbAsync(db => db.Captchas.Where(c => c.Id == id).Select(c => c.Answer).SingleAsync());
    }
}
