using System.Reflection;
using AngleSharp.Html.Parser;
using EspacePro.Web.Mail;

namespace EspacePro.Tests.Mail;

public sealed class EmailTests
{
    private const string Lila = "lila.rosemonde@orange.fr";
    private const string NewAddress = "lila.rosemonde1@dgfip.finances.gouv.fr";
    // 14:52:32 in Paris (UTC+1 in February), as in the sheet's mails.
    private static readonly DateTimeOffset ChangedAt = new(2026, 2, 23, 13, 52, 32, TimeSpan.Zero);
    private static readonly DateOnly ValidUntil = new(2029, 2, 22);
    private static readonly Uri ActivationPage = new("https://espacepro.test/activation");
    private static readonly Uri CancelLink = new("https://espacepro.test/identifiants/annuler?jeton=Zm9vYmFy&x=<y>");
    private static readonly Uri ResetLink = new("https://espacepro.test/mot-de-passe-oublie/lien?jeton=c2VjcmV0LXRva2Vu");

    public static TheoryData<Email> All => new()
    {
        new PasswordChangedEmail(Lila, ChangedAt, ValidUntil),
        new TrustAnswerChangedEmail(Lila, ChangedAt),
        new ActivationCodeEmail(NewAddress, "BBBzvnAjPtUp", ActivationPage),
        new EmailChangeRequestedEmail(Lila, NewAddress, ChangedAt, CancelLink),
        new EmailChangedEmail(Lila, NewAddress, ChangedAt),
        new PasswordResetLinkEmail(Lila, ResetLink, ChangedAt),
        new PasswordResetDoneEmail(Lila, ChangedAt, ValidUntil),
        new PasswordExpiryReminderEmail(Lila, ValidUntil, 30),
        new SpaceDeletedEmail(Lila, ChangedAt),
        new ExistingSpaceNoticeEmail(Lila, ChangedAt),
        new LoginCodeEmail(Lila, "482913", ChangedAt, "Firefox sous Windows", 10) { ActivityLink = new Uri("https://espacepro.test/gerer-mon-espace/activite") },
    };

    [Theory, MemberData(nameof(All))]
    public void Every_mail_ends_with_the_sheet_footer_and_the_demonstration_notice(Email mail)
    {
        foreach (var body in new[] { mail.TextBody(), HtmlText(mail.HtmlBody()) })
        {
            Assert.StartsWith("Bonjour,", body.TrimStart());
            var thanks = body.IndexOf(mail.Thanks, StringComparison.Ordinal);
            var question = body.IndexOf("Si vous avez une question particulière, nous vous invitons à ne pas répondre à l'adresse électronique de ce message mais à vous connecter sur notre site impots.gouv.fr", StringComparison.Ordinal);
            var security = body.IndexOf("Pour votre sécurité :", StringComparison.Ordinal);
            Assert.True(thanks > 0 && question > thanks && security > question, "footer missing or out of order");
            Assert.Contains("ne répondez jamais à un courriel vous demandant votre numéro de carte bancaire ou une copie de vos pièces d'identité ;", body);
            Assert.Contains("ne partagez jamais vos identifiants d'accès à l'espace professionnel DGFiP, et pensez à renouveler régulièrement votre mot de passe ;", body);
            Assert.Contains("vérifiez toujours l'adresse de l'expéditeur des messages avant de les ouvrir. Pour la DGFiP, la partie droite de l'adresse doit être égale à @dgfip.finances.gouv.fr. Sinon, il s'agit d'un message frauduleux.", body);
            Assert.Contains("démonstration", body[security..]);
            Assert.Contains("pas un message d'impots.gouv.fr", body[security..]);
        }
    }

    [Theory, MemberData(nameof(All))]
    public void Every_mail_has_a_French_subject_a_kind_and_a_well_formed_html_part(Email mail)
    {
        Assert.StartsWith("Espace professionnel - ", mail.Subject);
        Assert.Equal(mail.GetType().Name, mail.Kind + "Email");
        var document = new HtmlParser().ParseDocument(mail.HtmlBody());
        Assert.Equal("fr", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal(mail.Subject, document.Title);
        Assert.Empty(document.QuerySelectorAll("script, img, link, form, iframe"));
        // Only the links the mail is about, never anything else.
        var links = document.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(mail.ContainsSecret, links.Count > 0);
    }

    [Fact]
    public void Password_changed_mail_has_the_sheet_wording_the_validity_date_and_the_time_in_Paris()
    {
        var mail = new PasswordChangedEmail(Lila, ChangedAt, ValidUntil);

        Assert.Equal("Espace professionnel - Modification du mot de passe", mail.Subject);
        var text = mail.TextBody();
        Assert.Contains("Vous avez modifié votre mot de passe ; cette demande a bien été prise en compte.", text);
        Assert.Contains("Celui-ci est valable jusqu'au 22 février 2029.", text);
        Assert.Contains("En cas d'oubli de votre mot de passe, vous devrez saisir votre réponse à la question de confiance.", text);
        Assert.Contains("le 23/02/2026 à 14h52", text);
        Assert.Contains("« Mot de passe oublié ? »", text);
        Assert.Contains("0809 400 210", text);
        Assert.Contains("<strong>22 février 2029</strong>", mail.HtmlBody());
        Assert.False(mail.ContainsSecret);
    }

    [Fact]
    public void Times_follow_Paris_summer_time()
    {
        var summer = new DateTimeOffset(2026, 7, 1, 12, 5, 0, TimeSpan.Zero);

        Assert.Contains("le 01/07/2026 à 14h05", new SpaceDeletedEmail(Lila, summer).TextBody());
        // Late in the evening in UTC is already the next day in Paris.
        Assert.Contains("le 01/01/2027 à 00h30", new SpaceDeletedEmail(Lila, new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)).TextBody());
        Assert.Contains("valable jusqu'au 1er mars 2029", new PasswordChangedEmail(Lila, summer, new DateOnly(2029, 3, 1)).TextBody());
    }

    [Fact]
    public void Trust_answer_mail_has_the_sheet_wording()
    {
        var mail = new TrustAnswerChangedEmail(Lila, ChangedAt);

        Assert.Equal("Espace professionnel - Modification de la réponse à la question de confiance", mail.Subject);
        var text = mail.TextBody();
        Assert.Contains("Vous avez modifié votre réponse à la question de confiance ; cette demande a bien été prise en compte.", text);
        Assert.Contains("En cas d'oubli de votre mot de passe, vous devrez saisir votre réponse à la question de confiance présente dans vos informations personnelles (\"Gérer mon espace\" > \"Modifier mes identifiants de connexion\").", text);
        Assert.Contains("le 23/02/2026 à 14h52", text);
    }

    [Fact]
    public void Activation_mail_has_the_code_the_five_steps_48_hours_and_a_link_without_the_code()
    {
        var mail = new ActivationCodeEmail(NewAddress, "BBBzvnAjPtUp", ActivationPage);

        Assert.Equal("Espace professionnel - Code d'activation", mail.Subject);
        Assert.True(mail.ContainsSecret);
        var text = mail.TextBody();
        Assert.Contains("Vous avez demandé la création d'un espace professionnel ou vous y avez apporté une modification. Cette demande a bien été prise en compte. Votre espace professionnel sera actif lorsque vous aurez saisi le code suivant :\n\n    BBBzvnAjPtUp\n", text);
        Assert.Contains("Remarque : ce code n'est pas un mot de passe. Il ne doit être utilisé qu'une seule fois pour activer votre espace professionnel.", text);
        Assert.Contains("1. connectez-vous sur le site impots.gouv.fr", text);
        Assert.Contains("2. cliquez sur \"Connexion à l'espace professionnel\" situé en haut à droite de l'écran", text);
        Assert.Contains("3. cliquez sur \"Activer\" de la rubrique \"Activation de votre espace professionnel et de vos services\"", text);
        Assert.Contains("4. saisissez le code d'activation reçu ci-dessus et validez", text);
        Assert.Contains("5. saisissez l'adresse électronique de connexion à l'espace et validez", text);
        Assert.Contains("Vous disposez d'un délai de 48 heures maximum pour activer votre espace professionnel à compter de l'envoi de ce message.", text);
        Assert.Contains("https://espacepro.test/activation", text);
        // The sheet's closing sentences.
        Assert.Contains("Plus d'informations sur impots.gouv.fr > Connexion à l'espace professionnel > Aide : accéder aux fiches pratiques > Fiche ALU 27 : Ecrire à l'administration via la messagerie.", text);
        Assert.Contains("La DGFIP vous remercie de l'intérêt que vous portez à ses services.", text);
        Assert.DoesNotContain("L'Administration fiscale vous remercie", text);

        var html = new HtmlParser().ParseDocument(mail.HtmlBody());
        var link = Assert.Single(html.QuerySelectorAll("a"));
        Assert.Equal("https://espacepro.test/activation", link.GetAttribute("href"));
        Assert.DoesNotContain("BBBzvnAjPtUp", link.GetAttribute("href")!);
        Assert.Contains(html.QuerySelectorAll("p"), p => p.TextContent == "BBBzvnAjPtUp");
        Assert.Equal(["1. ", "2. ", "3. ", "4. ", "5. "], html.QuerySelectorAll("li").Take(5).Select(li => li.TextContent[..3]));
    }

    [Fact]
    public void Activation_mail_refuses_a_code_that_could_inject_text()
    {
        Assert.Throws<ArgumentException>(() => new ActivationCodeEmail(NewAddress, "BBBzvn\nAjPtUp", ActivationPage));
        Assert.Throws<ArgumentException>(() => new ActivationCodeEmail(NewAddress, "", ActivationPage));
        Assert.Throws<ArgumentException>(() => new ActivationCodeEmail(NewAddress, "BBBzvnAjPtUp", new Uri("/activation", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => new ActivationCodeEmail(NewAddress, "BBBzvnAjPtUp", new Uri("javascript:alert(1)")));
    }

    [Fact]
    public void Change_requested_mail_masks_the_new_address_and_carries_the_encoded_cancel_link()
    {
        var mail = new EmailChangeRequestedEmail(Lila, NewAddress, ChangedAt, CancelLink);

        Assert.True(mail.ContainsSecret);
        var text = mail.TextBody();
        Assert.Contains("a été demandée le 23/02/2026 à 14h52", text);
        Assert.Contains("li•••@dgfip.finances.gouv.fr", text);
        Assert.DoesNotContain(NewAddress, text);
        Assert.DoesNotContain(NewAddress, mail.HtmlBody());
        Assert.Contains(CancelLink.AbsoluteUri, text);
        Assert.Contains("qu'une seule fois", text);
        Assert.Contains("mot de passe", text);

        var html = mail.HtmlBody();
        Assert.Contains("href=\"https://espacepro.test/identifiants/annuler?jeton=Zm9vYmFy&amp;x=%3Cy%3E\"", html);
        Assert.DoesNotContain("<y>", html);
        var parsed = new HtmlParser().ParseDocument(html);
        Assert.Equal(CancelLink.AbsoluteUri, Assert.Single(parsed.QuerySelectorAll("a")).GetAttribute("href"));
    }

    [Fact]
    public void User_values_are_html_encoded()
    {
        // A quoted local part may hold any character; the mask keeps its first two.
        var mail = new EmailChangedEmail(Lila, "\"<b>&\"@example.com", ChangedAt);

        var html = mail.HtmlBody();
        Assert.Contains("&quot;&lt;•••@example.com", html);
        Assert.DoesNotContain("\"<•••", html);
        Assert.Contains("\"<•••@example.com", mail.TextBody());
    }

    [Fact]
    public void Email_changed_mail_tells_the_old_address_and_points_to_the_assistance()
    {
        var text = new EmailChangedEmail(Lila, NewAddress, ChangedAt).TextBody();

        Assert.Contains("a été modifiée le 23/02/2026 à 14h52", text);
        Assert.Contains("li•••@dgfip.finances.gouv.fr", text);
        Assert.DoesNotContain(NewAddress, text);
        Assert.Contains("ne permet plus d'accéder à votre espace", text);
        Assert.Contains("0809 400 210", text);
    }

    [Fact]
    public void Reset_link_mail_carries_the_link_valid_one_hour()
    {
        var mail = new PasswordResetLinkEmail(Lila, ResetLink, ChangedAt);

        Assert.True(mail.ContainsSecret);
        var text = mail.TextBody();
        Assert.Contains(ResetLink.AbsoluteUri, text);
        Assert.Contains("Ce lien est valable 1 heure et ne peut servir qu'une seule fois.", text);
        Assert.Contains("question de confiance", text);
        Assert.Contains("le 23/02/2026 à 14h52", text);
    }

    [Fact]
    public void Reset_done_expiry_deletion_and_existing_space_mails_say_what_happened()
    {
        var done = new PasswordResetDoneEmail(Lila, ChangedAt, ValidUntil).TextBody();
        Assert.Contains("réinitialisé le 23/02/2026 à 14h52", done);
        Assert.Contains("« Mot de passe oublié »", done);
        Assert.Contains("valable jusqu'au 22 février 2029", done);

        var reminder = new PasswordExpiryReminderEmail(Lila, ValidUntil, 7);
        Assert.Contains("valable jusqu'au 22 février 2029, soit encore 7 jours.", reminder.TextBody());
        Assert.Contains("soit encore 1 jour.", new PasswordExpiryReminderEmail(Lila, ValidUntil, 1).TextBody());

        var deleted = new SpaceDeletedEmail(Lila, ChangedAt).TextBody();
        Assert.Contains("Votre espace professionnel et les données qui y étaient enregistrées ont été supprimés le 23/02/2026 à 14h52", deleted);

        var existing = new ExistingSpaceNoticeEmail(Lila, ChangedAt).TextBody();
        Assert.Contains("déjà l'adresse de connexion d'un espace professionnel", existing);
        Assert.Contains("Vous n'avez rien à faire", existing);
        Assert.Contains("« Mot de passe oublié ? »", existing);
    }

    [Fact]
    public void Only_the_code_link_and_cancel_mails_are_secret()
    {
        var secret = All.Select(row => row.Data).Where(m => m.ContainsSecret).Select(m => m.Kind).Order();

        Assert.Equal(["ActivationCode", "EmailChangeRequested", "LoginCode", "PasswordResetLink"], secret);
        Assert.All(All.Select(row => row.Data), m => Assert.Equal(m.ContainsSecret, Email.IsSecretKind(m.Kind)));
    }

    [Fact]
    public void No_mail_takes_a_password_an_answer_or_a_hash()
    {
        var types = typeof(Email).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Email)) && !t.IsAbstract).ToList();

        Assert.Equal(11, types.Count);
        var parameters = types.SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.Instance))
            .SelectMany(c => c.GetParameters()).Select(p => p.Name!).Distinct().ToList();
        Assert.DoesNotContain(parameters, p => p.Contains("password", StringComparison.OrdinalIgnoreCase)
                                               || p.Contains("answer", StringComparison.OrdinalIgnoreCase)
                                               || p.Contains("hash", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_logged_mail_shows_its_kind_and_not_its_secret()
    {
        var mail = new ActivationCodeEmail(NewAddress, "BBBzvnAjPtUp", ActivationPage);

        Assert.Equal("ActivationCode e-mail", mail.ToString());
        Assert.DoesNotContain("BBBzvnAjPtUp", $"{mail}");
    }

    private static string HtmlText(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        // Block elements on lines of their own, as a reader sees them.
        return string.Join("\n", document.Body!.QuerySelectorAll("p, li").Select(e => e.TextContent));
    }
}
