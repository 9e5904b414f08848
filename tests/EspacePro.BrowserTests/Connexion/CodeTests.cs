using System.Text.RegularExpressions;
using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.Connexion;

/// <summary>
/// « Saisissez le code de sécurité reçu par courriel » (Pages/Connexion/Code): a browser the
/// space does not recognise types the code its holder reads in the mail; once in, that browser
/// logs in with its password alone.
/// </summary>
public sealed class CodeTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task A_new_browser_types_the_code_from_the_mail_then_is_recognised(string viewport)
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = lila.Page;
        await lila.GotoAsync("/connexion");

        var before = await lila.CountMailsAsync(Sheet.Lila.Email, Sheet.LoginCodeSubject);
        await lila.SubmitLoginAsync(Sheet.Lila.Email, Sheet.Lila.Password);
        await Expect(page.Heading("Saisissez le code de sécurité reçu par courriel")).ToBeVisibleAsync();
        var field = page.GetByLabel("Code de sécurité");
        await Expect(field).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await Expect(field).ToHaveAttributeAsync("inputmode", "numeric");
        await lila.CheckPageAsync("code de sécurité");
        await lila.ScreenAsync("code-securite");

        // A slip of the keyboard: the message stands next to the field, and no try is spent.
        await field.FillAsync("12 34");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Le code de sécurité comporte 6 chiffres, sans espace ni lettre : vérifiez votre saisie.").First).ToBeVisibleAsync();
        await Expect(field).ToHaveValueAsync("");
        await lila.CheckPageAsync("code de sécurité erreur");

        // « Recevoir un nouveau code »: the first one no longer counts.
        await page.GetByRole(AriaRole.Button, new() { Name = "Recevoir un nouveau code" }).ClickAsync();
        await Expect(page.GetByText("Un nouveau code de sécurité vient de vous être envoyé par courriel.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("code de sécurité nouveau code envoyé");
        var mail = Text.Fold(await lila.ReadMailAsync(Sheet.Lila.Email, Sheet.LoginCodeSubject, check: true, newerThan: before + 1));
        Assert.Matches(new Regex(@"le \d{2}/\d{2}/\d{4} à \d{2}h\d{2} \(heure de Paris\) depuis un navigateur que votre espace ne reconnaît pas : Chrome"), mail);
        Assert.Contains("valable 10 minutes", mail);

        await lila.TypeLoginCodeAsync(Sheet.Lila.Email, before + 1);
        await Expect(page.Heading("DOSSIER COURANT")).ToBeVisibleAsync();

        // The same browser, another day: the password alone.
        await lila.LogOutAsync();
        await lila.GotoAsync("/connexion");
        await lila.SubmitLoginAsync(Sheet.Lila.Email, Sheet.Lila.Password);
        await Expect(page.Heading("DOSSIER COURANT")).ToBeVisibleAsync();
        Assert.Equal(before + 2, await lila.CountMailsAsync(Sheet.Lila.Email, Sheet.LoginCodeSubject));
    }
}
