using System.Text.RegularExpressions;
using EspacePro.BrowserTests.GererMonEspace.Identifiants;
using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.MotDePasseOublie;

/// <summary>
/// The sheet's last step of chapter 5: after changing the trust question, « Mot de passe
/// oublié ? » asks for the NEW answer (the sheet's « Remarque » in chapter 3), after the e-mailed link.
/// </summary>
public sealed partial class ForgottenPasswordTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string ResetPassword = "Libellule-Sextant-Orage-Minuit";

    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task Mot_de_passe_oublie_asks_the_new_trust_answer_after_the_mailed_link(string viewport)
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = lila.Page;

        // Chapter 5: a new question and answer.
        await lila.GotoAsync("/connexion");
        await lila.LogInAsync(Sheet.Lila);
        await lila.ManageSpaceAsync();
        await lila.OpenIdentifiersFormAsync();
        await page.TickAsync("Modifier ma question de confiance");
        await page.GetByLabel("Question *").SelectOptionAsync(new SelectOptionValue { Label = TrustQuestionTests.NewQuestion });
        await page.GetByLabel("Réponse *").FillAsync(TrustQuestionTests.NewAnswer);
        await lila.ValidateIdentifiersAsync();
        await lila.LogOutAsync();

        // « Mot de passe oublié ? » on the login page.
        await lila.GoToLoginAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Mot de passe oublié ?" }).ClickAsync();
        await Expect(page.Heading("Mot de passe oublié")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await lila.CheckPageAsync("mot de passe oublié erreurs");
        await page.GetByLabel("Adresse électronique").FillAsync(Sheet.Lila.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.GetByText("Consultez votre messagerie")).ToBeVisibleAsync();
        await lila.CheckPageAsync("mot de passe oublié demande envoyée");

        // The mailed link proves the mailbox, then the token leaves the address bar.
        var mail = await lila.ReadMailAsync(Sheet.Lila.Email, "Espace professionnel - Mot de passe oublié");
        var link = ResetLink().Match(mail).Value;
        Assert.False(string.IsNullOrEmpty(link), "No reset link in the mail:" + Environment.NewLine + mail);
        await page.GotoAsync(link);
        await Expect(page).ToHaveURLAsync(new Regex("/mot-de-passe-oublie/question$"));
        await Expect(page.GetByText(TrustQuestionTests.NewQuestion)).ToBeVisibleAsync();

        // The old answer no longer works; the answer is exact.
        await page.GetByLabel("Réponse *").FillAsync(Sheet.Lila.TrustAnswer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await lila.CheckPageAsync("mot de passe oublié question erreur");
        await page.GetByLabel("Réponse *").FillAsync(TrustQuestionTests.NewAnswer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();

        // A new password, twice; no automatic login.
        await Expect(page.GetByLabel("Saisir mon nouveau mot de passe *")).ToBeVisibleAsync();
        await lila.CheckPageAsync("mot de passe oublié nouveau mot de passe");
        await page.GetByLabel("Saisir mon nouveau mot de passe *").FillAsync(ResetPassword);
        await page.GetByLabel("Confirmer mon nouveau mot de passe *").FillAsync(ResetPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(page.GetByText($"Ce mot de passe est valable jusqu'au {Text.ValidUntilIfChangedNow()}.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("mot de passe oublié confirmation");
        await lila.ReadMailAsync(Sheet.Lila.Email, "Espace professionnel - Réinitialisation du mot de passe");

        // The reset link is single use; the new password opens the space.
        await page.GotoAsync(link);
        await Expect(page.GetByText("Ce lien n'est plus valable").First).ToBeVisibleAsync();
        await lila.GoToLoginAsync();
        await lila.LogInAsync(Sheet.Lila.Email, ResetPassword);
    }

    [GeneratedRegex(@"https://127\.0\.0\.1:\d+/mot-de-passe-oublie/lien/[A-Za-z0-9_-]+")]
    private static partial Regex ResetLink();
}
