using System.Text.RegularExpressions;
using EspacePro.BrowserTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.Creation;

/// <summary>
/// « Créer votre espace professionnel » from the login page, its activation through the same
/// wizard as an e-mail change, then the space's own pages: contact details, an expired password
/// and deletion.
/// </summary>
public sealed class CreationTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Email = "jeanne.martin@espacepro.test";
    private const string Password = "Coquelicot-Tambour-Aurore-Sel";

    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task A_space_is_created_activated_and_used(string viewport)
    {
        var app = await StartAppAsync();
        var jeanne = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = jeanne.Page;

        await jeanne.GotoAsync("/connexion");
        await page.GetByRole(AriaRole.Link, new() { Name = "Créer votre espace professionnel" }).ClickAsync();
        await Expect(page.Heading("Créer votre espace professionnel")).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("création");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer mon espace" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("création erreurs");

        await page.Locator("label[for=\"civilite-madame\"]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Madame" })).ToBeCheckedAsync();
        await page.GetByLabel("Nom *", new() { Exact = true }).FillAsync("Martin");
        await page.GetByLabel("Prénom *").FillAsync("Jeanne");
        await page.GetByLabel("Téléphone *").FillAsync("01 23 45 67 89");
        await page.GetByLabel("Adresse (numéro et voie) *").FillAsync("8 rue des Écoles");
        await page.GetByLabel("Code postal *").FillAsync("75005");
        await page.GetByLabel("Commune *").FillAsync("Paris");
        await page.GetByLabel("Adresse électronique de connexion *", new() { Exact = false }).First.FillAsync(Email);
        await page.GetByLabel("Confirmer l'adresse électronique de connexion *").FillAsync(Email);
        await page.GetByLabel("Mot de passe *", new() { Exact = false }).First.FillAsync(Password);
        await page.GetByLabel("Confirmer le mot de passe *").FillAsync(Password);
        await page.GetByLabel("Question *").SelectOptionAsync(new SelectOptionValue { Label = "Quel est le titre de votre livre préféré ?" });
        await page.GetByLabel("Réponse *").FillAsync("Vingt mille lieues sous les mers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer mon espace" }).ClickAsync();
        await Expect(page.GetByText($"Un code d'activation a été envoyé à l'adresse électronique suivante : {Email}.")).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("création courriel envoyé");

        var code = Sheet.ActivationCodeIn(await jeanne.ReadMailAsync(Email, "Espace professionnel - Code d'activation"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Activer", Exact = true }).ClickAsync();
        await page.GetByLabel("Saisissez le code d'activation :").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.GetByLabel("Saisissez votre adresse électronique de connexion :").FillAsync(Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Expect(page.Heading("Votre inscription")).ToBeVisibleAsync();
        await Expect(page.GetByText(new Regex(@"sous le numéro \d{14}\."))).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Accédez à vos services en ligne" }).ClickAsync();
        await jeanne.LogInAsync(Email, Password);
        await Expect(page.GetByText("Vous ne disposez d'aucun service.")).ToBeVisibleAsync();

        // « Modifier mes coordonnées »
        await jeanne.ManageSpaceAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Modifier mes coordonnées", Exact = true }).ClickAsync();
        await page.GetByLabel("Téléphone *").FillAsync("pas un numéro");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("coordonnées erreurs");
        await page.GetByLabel("Téléphone *").FillAsync("06 12 34 56 78");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(page.GetByText("Vos coordonnées ont été enregistrées.")).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("gérer mon espace coordonnées enregistrées");

        // An expired password: only the forced change, then home.
        await jeanne.LogOutAsync();
        await app.DbAsync(db => db.Users.Where(a => a.Email == Email)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordValidUntil, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)))));
        await jeanne.GoToLoginAsync();
        await jeanne.SubmitLoginAsync(Email, Password);
        await Expect(page.Heading("Votre mot de passe a expiré")).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("mot de passe expiré");
        const string renewed = "Bergamote-Clavecin-Marée-Haute";
        await page.GetByLabel("Saisir mon nouveau mot de passe *").FillAsync(renewed);
        await page.GetByLabel("Confirmer mon nouveau mot de passe *").FillAsync(renewed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(page.GetByText("Votre mot de passe a été modifié.")).ToBeVisibleAsync();

        // « Supprimer mon espace professionnel »
        await jeanne.ManageSpaceAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Supprimer mon espace professionnel", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Supprimer définitivement mon espace" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("suppression erreurs");
        await page.GetByLabel("Mot de passe actuel *").FillAsync(renewed);
        await page.TickAsync("Je confirme vouloir supprimer définitivement mon espace professionnel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Supprimer définitivement mon espace" }).ClickAsync();
        await Expect(page.Heading("Votre espace professionnel a été supprimé")).ToBeVisibleAsync();
        await jeanne.CheckPageAsync("suppression effectuée");
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(a => a.Email == Email)));
    }
}
