using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.GererMonEspace;

public sealed class IdentifiersEmailAndTrustTests
{
    private const string NewEmail = "lila.rosemonde1@espacepro.test";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Asking_for_a_new_e_mail_sends_a_code_to_it_and_a_notice_to_the_old_one(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: NewEmail);

        Assert.Contains($"Un code d'activation a été envoyé à l'adresse électronique suivante : {NewEmail}.", saved.Text);
        Assert.Contains("Remarque : ce code n'est pas un mot de passe", saved.Text);
        Assert.Contains("Vous disposez d'un délai de 48h à compter de maintenant ; à défaut, la modification ne sera pas prise en compte.", saved.Text);
        Assert.Equal("/activation", saved.Document.QuerySelectorAll("a").Single(a => a.TextContent == "Activez votre espace abonné").GetAttribute("href"));

        var mails = await app.DeliverMailAsync();
        var activation = Assert.Single(mails, m => m.To == NewEmail);
        var code = Identifiers.ActivationCodeIn(activation.TextBody);
        Assert.Matches("^[A-HJ-NP-Za-km-np-z]{12}$", code);
        Assert.Contains("48 heures", activation.TextBody);
        var notice = Assert.Single(mails, m => m.To == Users.Lila.Email);
        Assert.Contains("/annulation/", notice.TextBody);
        Assert.DoesNotContain(code, notice.TextBody);
        Assert.DoesNotContain(code, saved.Document.DocumentElement.OuterHtml);

        var pending = await app.DbAsync(db => db.PendingEmailChanges.SingleAsync());
        Assert.NotEqual(code, pending.CodeHash);
        Assert.DoesNotContain(code, pending.CodeHash);
    }

    [Fact]
    public async Task Until_activation_only_the_old_e_mail_opens_the_space()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        await app.RequestEmailChangeAsync(user, NewEmail);

        using var other = app.NewUser();
        Assert.Equal("/connexion", (await other.LoginAsync(NewEmail, Users.Lila.Password)).Url.AbsolutePath);
        Assert.Equal("/", (await other.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [Fact]
    public async Task A_new_request_voids_the_previous_code()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        await app.RequestEmailChangeAsync(user, NewEmail);
        await app.RequestEmailChangeAsync(user, "lila.autre@espacepro.test");

        var rows = await app.DbAsync(db => db.PendingEmailChanges.OrderBy(p => p.CreatedAt).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.NotNull(rows[0].VoidedAt);
        Assert.Equal("replaced", rows[0].VoidReason);
        Assert.Null(rows[1].VoidedAt);
    }

    [Theory]
    [InlineData("", "", "input-newemail", "Saisissez votre nouvelle adresse électronique de connexion.")]
    [InlineData("pas-une-adresse", "pas-une-adresse", "input-newemail", "Saisissez une adresse électronique valide, au format utilisateur@domaine.fr.")]
    [InlineData("lila@espacepro.test\r\nBcc: x@evil.test", "lila@espacepro.test\r\nBcc: x@evil.test", "input-newemail", "L'adresse électronique ne doit pas contenir de retour à la ligne.")]
    [InlineData("lila.rosemonde1@espacepro.test", "lila.rosemonde2@espacepro.test", "input-confirmemail", "Les deux adresses électroniques saisies ne sont pas identiques.")]
    [InlineData("LILA.ROSEMONDE@espacepro.test", "LILA.ROSEMONDE@espacepro.test", "input-newemail", "La nouvelle adresse électronique doit être différente de votre adresse actuelle.")]
    public async Task Each_wrong_e_mail_gets_its_message_next_to_the_field(string email, string confirm, string field, string message)
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: email, confirmEmail: confirm, changeEmail: true);

        Assert.Contains(message, page.FieldErrors(field));
        Assert.Equal(0, await app.DbAsync(db => db.PendingEmailChanges.CountAsync()));
        Assert.Empty(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task An_address_of_101_characters_is_refused_and_kept_in_the_field()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var email = new string('a', 101 - "@espacepro.test".Length) + "@espacepro.test";

        var page = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: email);

        Assert.Equal(["L'adresse électronique ne doit pas dépasser 100 caractères."], page.FieldErrors("input-newemail"));
        Assert.Equal(email, page.Document.QuerySelector("#input-newemail")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_address_of_another_space_is_not_revealed_its_owner_is_told()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: Users.NoService.Email);

        Assert.Contains($"Un code d'activation a été envoyé à l'adresse électronique suivante : {Users.NoService.Email}.", saved.Text);
        var mails = await app.DeliverMailAsync();
        var mail = Assert.Single(mails, m => m.To == Users.NoService.Email);
        Assert.Equal(string.Empty, Identifiers.ActivationCodeIn(mail.TextBody));
        Assert.Contains("/annulation/", Assert.Single(mails, m => m.To == Users.Lila.Email).TextBody);
    }

    [Fact]
    public async Task No_section_ticked_or_a_filled_unticked_section_is_refused()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var none = await user.SubmitIdentifiersAsync(await user.OpenAsync());
        Assert.Equal(["Cochez au moins une rubrique à modifier : adresse électronique, mot de passe ou question de confiance."],
            none.FieldErrors("input-changeemail"));

        var unticked = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Identifiers.NewPassword, newEmail: NewEmail, changeEmail: false);
        Assert.Equal(["Cochez « Modifier mon adresse électronique » pour changer d'adresse, ou videz ce champ."], unticked.FieldErrors("input-newemail"));
        Assert.Empty(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task Changing_the_trust_question_hashes_the_answer_and_mails_a_confirmation()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), question: "livre", answer: "Le Petit Prince");

        Assert.Contains("Votre réponse à la question de confiance a été réinitialisée avec succès.", saved.Text);
        Assert.NotNull(saved.Document.QuerySelectorAll("a").FirstOrDefault(a => a.TextContent.Trim() == "Télécharger mon récapitulatif"));
        var account = await app.DbAsync(db => db.Users.SingleAsync(a => a.Email == Users.Lila.Email));
        Assert.Equal("livre", account.TrustQuestion);
        Assert.StartsWith("$argon2id$", account.TrustAnswerHash);
        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal("Espace professionnel - Modification de la réponse à la question de confiance", mail.Subject);
        Assert.DoesNotContain("Le Petit Prince", mail.TextBody);
    }

    [Fact]
    public async Task Trivial_answers_are_refused_and_never_written_back()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.SubmitIdentifiersAsync(await user.OpenAsync(), question: "plat", answer: "aaa");

        Assert.NotEmpty(page.FieldErrors("input-answer"));
        Assert.Null(page.Document.QuerySelector("#input-answer")!.GetAttribute("value"));
    }

    [Fact]
    public async Task All_three_at_once_are_saved_together()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: NewEmail, newPassword: Identifiers.NewPassword, question: "livre", answer: "Le Petit Prince");

        Assert.NotNull(saved.Document.QuerySelector("#enregistrement-mot-de-passe"));
        Assert.NotNull(saved.Document.QuerySelector("#enregistrement-question"));
        Assert.NotNull(saved.Document.QuerySelector("#enregistrement-adresse"));
        var subjects = (await app.DeliverMailAsync()).Select(m => m.Subject).ToList();
        Assert.Equal(4, subjects.Count);
    }

    [Fact]
    public async Task One_wrong_section_stores_nothing_of_the_others()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: "pas-une-adresse", newPassword: Identifiers.NewPassword, question: "livre", answer: "Le Petit Prince");

        Assert.NotEmpty(page.FieldErrors("input-newemail"));
        var account = await app.DbAsync(db => db.Users.SingleAsync(a => a.Email == Users.Lila.Email));
        Assert.Equal("plat", account.TrustQuestion);
        Assert.Equal(0, await app.DbAsync(db => db.PasswordHistory.CountAsync()));
        Assert.Empty(await app.DeliverMailAsync());
        Assert.Equal("pas-une-adresse", page.Document.QuerySelector("#input-newemail")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_cancel_link_sent_to_the_old_address_voids_the_pending_change()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: NewEmail);
        var notice = (await app.DeliverMailAsync()).Single(m => m.To == Users.Lila.Email);
        var link = System.Text.RegularExpressions.Regex.Match(notice.TextBody, @"https://espacepro\.test(/annulation/[A-Za-z0-9_-]+)").Groups[1].Value;

        using var owner = app.NewUser();
        var confirm = await owner.GetAsync(link);
        Assert.Null(await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.VoidedAt).SingleAsync()));
        var done = await owner.SubmitAsync(confirm, "main form[method=post]", new Dictionary<string, string?>());

        Assert.Contains("est annulée", done.Text);
        Assert.Equal("cancelled", await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.VoidReason).SingleAsync()));
        Assert.Contains("n'est plus valable", (await owner.GetAsync(link)).Text);
    }
}
