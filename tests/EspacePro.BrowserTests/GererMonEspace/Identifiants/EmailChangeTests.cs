using System.Text.RegularExpressions;
using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.GererMonEspace.Identifiants;

/// <summary>
/// Sheet chapter 4, « Modification de votre adresse électronique de connexion »: the request,
/// the code read in the new mailbox, « Me déconnecter », « Activer » and the three steps, the
/// recap PDF, then the old address refused and the new one accepted.
/// </summary>
public sealed class EmailChangeTests(BrowserFixture browser) : BrowserTest(browser)
{
    public const string NewEmail = "lila.rosemonde1@espacepro.test";

    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task Email_change_is_activated_with_the_mailed_code_and_the_new_address_logs_in(string viewport)
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = lila.Page;
        await lila.LogInToIdentifiersFormAsync(Sheet.Lila);

        // 4.1 « Cochez la case « Modifier mon adresse électronique » »; a mistyped confirmation first.
        await page.TickAsync("Modifier mon adresse électronique");
        await page.GetByLabel("Saisir ma nouvelle adresse électronique de connexion").FillAsync(NewEmail);
        await page.GetByLabel("Confirmer ma nouvelle adresse électronique de connexion").FillAsync("lila.rosemonde2@espacepro.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Saisir ma nouvelle adresse électronique de connexion")).ToHaveValueAsync(NewEmail);
        await lila.CheckPageAsync("identifiants erreurs adresse");

        await page.GetByLabel("Confirmer ma nouvelle adresse électronique de connexion").FillAsync(NewEmail);
        await lila.ValidateIdentifiersAsync();
        await Expect(page.GetByText($"Un code d'activation a été envoyé à l'adresse électronique suivante : {NewEmail}.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Remarque : ce code n'est pas un mot de passe")).ToBeVisibleAsync();
        await Expect(page.GetByText("Vous disposez d'un délai de 48h à compter de maintenant ; à défaut, la modification ne sera pas prise en compte.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Activez votre espace abonné" })).ToBeVisibleAsync();
        await lila.CheckPageAsync("enregistrement adresse");
        await lila.ScreenAsync("enregistrement-adresse");

        // The code arrives at the NEW address; the old one is told of the request.
        var codeMail = await lila.ReadMailAsync(NewEmail, "Espace professionnel - Code d'activation");
        Assert.Contains("Vous avez demandé la création d'un espace professionnel ou vous y avez apporté une modification.", Text.Fold(codeMail));
        var code = Sheet.ActivationCodeIn(codeMail);
        await lila.ReadMailAsync(Sheet.Lila.Email, "Espace professionnel - Demande de modification de l'adresse électronique de connexion");

        // Until activation only the old address opens the space.
        await page.GetByRole(AriaRole.Link, new() { Name = "Fermer", Exact = true }).ClickAsync();
        await lila.LogOutAsync();

        // 4.2.1 « Connexion à l'espace professionnel » → « Activer ».
        await page.Visible(AriaRole.Link, "Connexion à l'espace professionnel").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Activer", Exact = true }).ClickAsync();
        await Expect(page.Heading("Activez votre espace ou vos services")).ToBeVisibleAsync();
        await Expect(page.Heading("Code d'activation")).ToBeVisibleAsync();
        await lila.CheckPageAsync("activation code");
        await lila.ScreenAsync("activation-1-code");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.GetByText("Saisissez le code d'activation reçu par courriel.").First).ToBeVisibleAsync();
        await lila.CheckPageAsync("activation code erreurs");

        // A phone keyboard must leave the case-sensitive code alone: no capital first letter, no
        // correction. On the phone the code is typed key by key, as a person would.
        var codeField = page.GetByLabel("Saisissez le code d'activation :");
        await Expect(codeField).ToHaveAttributeAsync("autocapitalize", "none");
        await Expect(codeField).ToHaveAttributeAsync("autocorrect", "off");
        await Expect(codeField).ToHaveAttributeAsync("spellcheck", "false");
        if (Viewport.Named(viewport).IsPhone)
        {
            await codeField.PressSequentiallyAsync(code);
        }
        else
        {
            await codeField.FillAsync(code);
        }
        await Expect(codeField).ToHaveValueAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();

        // Step 2 « Identifiants »: the code is shown, the NEW address is typed.
        await Expect(page.Heading("Identifiants")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Code d'activation", new() { Exact = true })).ToHaveValueAsync(code);
        await lila.CheckPageAsync("activation identifiants");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.GetByText("Saisissez votre adresse électronique de connexion.").First).ToBeVisibleAsync();
        await lila.CheckPageAsync("activation identifiants erreurs");
        await page.GetByLabel("Saisissez votre adresse électronique de connexion :").FillAsync(NewEmail);
        await lila.ScreenAsync("activation-2-identifiants");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();

        // Step 3 « Récapitulatif ».
        // A change, not a registration: the page says the change was activated today.
        await Expect(page.Heading("Votre modification")).ToBeVisibleAsync();
        await Expect(page.GetByText("ROSEMONDE Lila")).ToBeVisibleAsync();
        await Expect(page.GetByText(new Regex($@"^La modification de votre adresse électronique de connexion a été activée le .+\. Votre espace garde son numéro d'abonné {Sheet.Lila.SubscriberNumber}"))).ToBeVisibleAsync();
        await Expect(page.GetByText("Ce numéro d'abonné vous est personnel et doit le rester.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("activation récapitulatif");
        await lila.ScreenAsync("activation-3-recapitulatif");

        var pdf = Text.Fold(await Recap.DownloadAsync(lila, page.GetByRole(AriaRole.Link, new() { Name = "Sauvegardez ou imprimez le récapitulatif" }), "recapitulatif"));
        Assert.Contains("RECAPITULATIF DE VOS DONNEES PERSONNELLES", pdf);
        Assert.Contains("ROSEMONDE", pdf);
        Assert.Contains("Lila", pdf);
        Assert.Contains(Sheet.Lila.SubscriberNumber, pdf);
        Assert.Contains(NewEmail, pdf);
        Assert.Contains("Quel est votre plat préféré ?", pdf);
        Assert.DoesNotContain(Sheet.Lila.Password, pdf);
        Assert.DoesNotContain(Sheet.Lila.TrustAnswer, pdf);
        if (!Viewport.Named(viewport).IsPhone)
        {
            await Recap.RenderFirstPageAsync(Path.Combine(Artifacts.Downloads, $"{lila.Name}-recapitulatif.pdf"),
                Path.Combine(Artifacts.Screens, "gallery-recapitulatif-pdf.png"));
        }

        // « Accédez à vos services en ligne »: the old address is refused, the new one opens the space.
        await page.GetByRole(AriaRole.Link, new() { Name = "Accédez à vos services en ligne" }).ClickAsync();
        await lila.SubmitLoginAsync(Sheet.Lila.Email, Sheet.Lila.Password);
        await Expect(page.GetByText("Adresse électronique ou mot de passe incorrect.")).ToBeVisibleAsync();
        await lila.LogInAsync(NewEmail, Sheet.Lila.Password);
        await Expect(page.GetByText("SARL MARTIN DISTRIBUTION")).ToBeVisibleAsync();
        await lila.ReadMailAsync(Sheet.Lila.Email, "Espace professionnel - Modification de l'adresse électronique de connexion");
    }
}
