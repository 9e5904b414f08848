using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.GererMonEspace.Identifiants;

/// <summary>Sheet chapter 3, « Modification de votre mot de passe ».</summary>
public sealed class PasswordChangeTests(BrowserFixture browser) : BrowserTest(browser)
{
    public const string NewPassword = "Hirondelle-Cactus-Lanterne-Bleue";

    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task Password_change_is_confirmed_on_screen_and_by_mail_and_the_new_password_logs_in(string viewport)
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = lila.Page;
        await lila.LogInToIdentifiersFormAsync(Sheet.Lila);

        // « Cochez la case « Modifier mon mot de passe » », and first forget to type it.
        await page.TickAsync("Modifier mon mot de passe");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Erreur : "));
        await lila.CheckPageAsync("identifiants erreurs mot de passe");

        // The « ? » opens « Recommandations pour prévenir les usurpations », closed by « Fermer ».
        await page.GetByTitle("Recommandations pour prévenir les usurpations").ClickAsync();
        // Its title is a paragraph, not a heading: the box opens on pages with different outlines.
        var recommendations = page.Locator("#recommandations-titre");
        await Expect(recommendations).ToHaveTextAsync("Recommandations pour prévenir les usurpations");
        await Expect(recommendations).ToBeVisibleAsync();
        await Expect(page.GetByText("mepedssjcumdppdpd20c!")).ToBeVisibleAsync();
        await lila.CheckPageAsync("identifiants recommandations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fermer", Exact = true }).Filter(new() { Visible = true }).ClickAsync();
        await Expect(recommendations).ToBeHiddenAsync();

        // « Saisissez puis confirmez votre nouveau mot de passe »: the meter judges it live.
        await page.GetByLabel("Saisir mon nouveau mot de passe").FillAsync(NewPassword);
        await Expect(page.GetByText(new System.Text.RegularExpressions.Regex("^Niveau de sécurité : "))).ToBeVisibleAsync();
        await page.GetByLabel("Confirmer mon nouveau mot de passe").FillAsync(NewPassword);
        await lila.ValidateIdentifiersAsync();

        var validUntil = Text.ValidUntilIfChangedNow();
        await Expect(page.GetByText("Votre mot de passe a été réinitialisé avec succès.")).ToBeVisibleAsync();
        await Expect(page.GetByText($"Ce mot de passe est valable jusqu'au {validUntil}.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Vous allez recevoir un courriel de confirmation.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("enregistrement mot de passe");
        await lila.ScreenAsync("enregistrement");

        var mail = Text.Fold(await lila.ReadMailAsync(Sheet.Lila.Email, "Espace professionnel - Modification du mot de passe", check: true));
        Assert.Contains("Vous avez modifié votre mot de passe ; cette demande a bien été prise en compte.", mail);
        Assert.Contains($"Celui-ci est valable jusqu'au {validUntil}.", mail);
        Assert.Contains("Pour votre sécurité :", mail);

        // « Me déconnecter », then the old password is refused and the new one opens the space.
        await page.GetByRole(AriaRole.Link, new() { Name = "Retourner à la gestion de mon espace" }).ClickAsync();
        await lila.LogOutAsync();
        await page.Visible(AriaRole.Link, "Connexion à l'espace professionnel").ClickAsync();
        await lila.SubmitLoginAsync(Sheet.Lila.Email, Sheet.Lila.Password);
        await Expect(page.GetByText("Adresse électronique ou mot de passe incorrect.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("connexion refusée");
        await lila.LogInAsync(Sheet.Lila.Email, NewPassword);
        await Expect(page.GetByText("SARL MARTIN DISTRIBUTION")).ToBeVisibleAsync();
    }
}
