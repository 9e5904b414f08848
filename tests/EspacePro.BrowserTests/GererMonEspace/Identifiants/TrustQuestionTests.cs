using EspacePro.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.GererMonEspace.Identifiants;

/// <summary>
/// Sheet chapter 5, « Modification de votre question de confiance/votre réponse ». The sheet's
/// next step, « Mot de passe oublié ? » answered with the new answer, is walked by
/// MotDePasseOublie/ForgottenPasswordTests, which changes the question the same way first and
/// uses <see cref="NewQuestion"/> and <see cref="NewAnswer"/>.
/// </summary>
public sealed class TrustQuestionTests(BrowserFixture browser) : BrowserTest(browser)
{
    public const string NewQuestion = "Quel est le titre de votre livre préféré ?";
    public const string NewAnswer = "Le Petit Prince";

    [Theory]
    [MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]
    public async Task Trust_question_change_is_confirmed_on_screen_by_mail_and_in_the_recap(string viewport)
    {
        var app = await StartAppAsync();
        var lila = await OpenBrowserAsync(app, Viewport.Named(viewport));
        var page = lila.Page;
        await lila.LogInToIdentifiersFormAsync(Sheet.Lila);

        // « Cochez la case « Modifier ma question de confiance » », forget the answer first.
        await page.TickAsync("Modifier ma question de confiance");
        await Expect(page.GetByLabel("Question *")).ToHaveValueAsync("plat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Le formulaire contient" })).ToBeVisibleAsync();
        await lila.CheckPageAsync("identifiants erreurs question");

        // « Sélectionnez la question de confiance dans le menu déroulant », « Renseignez la réponse ».
        await page.GetByLabel("Question *").SelectOptionAsync(new SelectOptionValue { Label = NewQuestion });
        await page.GetByLabel("Réponse *").FillAsync(NewAnswer);
        await lila.ValidateIdentifiersAsync();
        await Expect(page.GetByText("Votre réponse à la question de confiance a été réinitialisée avec succès.")).ToBeVisibleAsync();
        await lila.CheckPageAsync("enregistrement question");
        await lila.ScreenAsync("enregistrement-question");

        var recap = Text.Fold(await Recap.DownloadAsync(lila, page.GetByRole(AriaRole.Link, new() { Name = "Télécharger mon récapitulatif" }), "recapitulatif-question"));
        Assert.Contains(NewQuestion, recap);
        Assert.DoesNotContain(NewAnswer, recap);

        var mail = Text.Fold(await lila.ReadMailAsync(Sheet.Lila.Email, "Espace professionnel - Modification de la réponse à la question de confiance"));
        Assert.Contains("Vous avez modifié votre réponse à la question de confiance ; cette demande a bien été prise en compte.", mail);
        Assert.DoesNotContain(NewAnswer, mail);

        // « Retourner à la gestion de mon espace »: the form now shows the new question.
        await page.GetByRole(AriaRole.Link, new() { Name = "Retourner à la gestion de mon espace" }).ClickAsync();
        await lila.OpenIdentifiersFormAsync();
        await Expect(page.GetByLabel("Question *")).ToHaveValueAsync("livre");
    }
}
