using EspacePro.Web.Passwords;
using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using EspacePro.Web.Pages.Connexion;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.MotDePasseOublie;

public sealed class PasswordResetTests
{
    private const string Expired = "Ce lien n'est plus valable";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Known_and_unknown_addresses_get_the_same_answer_and_only_the_known_one_a_mail(string provider)
    {
        await using var app = new TestApp(provider);
        using var owner = app.NewUser();
        using var stranger = app.NewUser();

        var knownPost = await owner.RequestResetAsync(Users.Lila.Email, follow: false);
        var unknownPost = await stranger.RequestResetAsync("personne@espacepro.test", follow: false);
        Assert.Equal(knownPost.Status, unknownPost.Status);
        Assert.Equal(knownPost.Response.Headers.Location, unknownPost.Response.Headers.Location);

        var known = await owner.FollowAsync(knownPost.Response);
        var unknown = await stranger.FollowAsync(unknownPost.Response);
        Assert.Equal(HttpStatusCode.OK, known.Status);
        Assert.Equal(known.Status, unknown.Status);
        Assert.Equal(known.Url, unknown.Url);
        Assert.Contains(ForgottenPassword.NeutralMessage, known.Text);
        Assert.Equal(known.Document.QuerySelector("main")!.TextContent, unknown.Document.QuerySelector("main")!.TextContent);

        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(Users.Lila.Email, mail.To);
        Assert.Equal("Espace professionnel - Mot de passe oublié", mail.Subject);
        Assert.Contains("https://espacepro.test/mot-de-passe-oublie/lien/", mail.TextBody);
        var stored = await app.DbAsync(db => db.PasswordResets.SingleAsync());
        Assert.DoesNotContain(stored.TokenHash, mail.TextBody);
        Assert.Equal(app.Time.GetUtcNow().AddHours(1), stored.ExpiresAt);
    }

    [Fact]
    public async Task The_address_is_compared_case_insensitively_and_a_space_not_yet_activated_gets_nothing()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await app.DbAsync(async db =>
        {
            var paul = await db.Users.SingleAsync(a => a.Email == Users.NoService.Email);
            paul.ActivatedAt = null;
            await db.SaveChangesAsync();
        });

        await user.RequestResetAsync(Users.Lila.Email.ToUpperInvariant());
        await user.RequestResetAsync(Users.NoService.Email);

        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(Users.Lila.Email, mail.To);
    }

    [Theory]
    [InlineData("", "Saisissez l'adresse électronique de connexion de votre espace professionnel.")]
    [InlineData("lila.rosemonde@", "Saisissez une adresse électronique valide, au format adresse@domaine.fr.")]
    [InlineData("lila rosemonde@espacepro.test", "Saisissez une adresse électronique valide, au format adresse@domaine.fr.")]
    public async Task A_missing_or_malformed_address_is_refused_next_to_the_field(string email, string message)
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var page = await user.RequestResetAsync(email);

        Assert.Equal("/mot-de-passe-oublie", page.Url.AbsolutePath);
        Assert.Equal([message], page.FieldErrors("email"));
        Assert.Equal(0, await app.DbAsync(db => db.PasswordResets.CountAsync()));
    }

    [Fact]
    public async Task An_address_over_100_characters_is_refused()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var page = await user.RequestResetAsync(new string('a', 90) + "@espacepro.test");

        Assert.Equal(["L'adresse électronique ne doit pas dépasser 100 caractères."], page.FieldErrors("email"));
    }

    [Fact]
    public async Task The_captcha_is_required_when_enabled()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Captcha:Enabled"] = "true" });
        using var user = app.NewUser();

        var missing = await user.RequestResetAsync(Users.Lila.Email, captcha: "");
        Assert.Equal(["Recopiez les 6 caractères de l'image."], missing.FieldErrors("captcha-answer"));
        var wrong = await user.SubmitAsync(missing, ForgottenPassword.RequestForm, new Dictionary<string, string?>
        {
            ["Input.Email"] = Users.Lila.Email,
            ["Captcha.Answer"] = "ZZZZZZ",
        });
        Assert.Equal(["Les caractères saisis ne correspondent pas à l'image. Recopiez ceux de la nouvelle image."], wrong.FieldErrors("captcha-answer"));
        Assert.Empty(await app.DeliverMailAsync());

        var id = wrong.Document.QuerySelector("input[name='Captcha.Id']")!.GetAttribute("value")!;
        var answer = await app.DbAsync(db => db.Captchas.Where(c => c.Id == id).Select(c => c.Answer).SingleAsync());
        var sent = await user.SubmitAsync(wrong, ForgottenPassword.RequestForm, new Dictionary<string, string?>
        {
            ["Input.Email"] = Users.Lila.Email,
            ["Captcha.Answer"] = answer,
        });
        Assert.Contains(ForgottenPassword.NeutralMessage, sent.Text);
        Assert.Single(await app.DeliverMailAsync());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_full_reset_lets_the_new_password_in_and_keeps_the_old_one_out_without_logging_in(string provider)
    {
        await using var app = new TestApp(provider);
        using var before = app.NewUser();
        await before.LoginAsync(Users.Lila);
        using var user = app.NewUser();

        var link = await app.ResetLinkAsync(user, Users.Lila.Email);
        var question = await user.OpenLinkAsync(link);
        Assert.Equal("/mot-de-passe-oublie/question", question.Url.AbsolutePath);
        Assert.DoesNotContain(link.AbsolutePath.Split('/').Last(), question.Url.AbsoluteUri);
        Assert.Contains("Quel est votre plat préféré ?", question.Text);

        var form = await user.AnswerAsync(question, Users.Lila.TrustAnswer);
        Assert.Equal("/mot-de-passe-oublie/nouveau-mot-de-passe", form.Url.AbsolutePath);
        Assert.DoesNotContain(Users.Lila.TrustAnswer, form.Document.DocumentElement.OuterHtml);

        var done = await user.ChoosePasswordAsync(form, ForgottenPassword.NewPassword);
        Assert.Equal("/mot-de-passe-oublie/confirmation", done.Url.AbsolutePath);
        Assert.Contains("Votre mot de passe a été réinitialisé avec succès.", done.Text);
        Assert.Contains("Ce mot de passe est valable jusqu'au 22 février 2029.", done.Text);
        Assert.NotNull(done.Document.QuerySelector("a.fr-btn[href='/connexion']"));

        // No automatic login: this browser is not in the space.
        Assert.Equal(HttpStatusCode.Redirect, (await user.Client.GetAsync("/")).StatusCode);
        // The session opened before is closed.
        var closed = await before.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.StartsWith("/connexion", closed.Headers.Location!.PathAndQuery);

        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(Users.Lila.Email, mail.To);
        Assert.Equal("Espace professionnel - Réinitialisation du mot de passe", mail.Subject);
        Assert.Contains("22 février 2029", mail.TextBody);
        Assert.DoesNotContain(ForgottenPassword.NewPassword, mail.TextBody);

        using var later = app.NewUser();
        Assert.Equal([IndexModel.FailureMessage], (await later.LoginAsync(Users.Lila)).SummaryErrors);
        Assert.Equal("/", (await later.LoginAsync(Users.Lila.Email, ForgottenPassword.NewPassword)).Url.AbsolutePath);
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "password-reset.completed")));
    }

    [Fact]
    public async Task The_link_works_once()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var link = await app.ResetLinkAsync(user, Users.Lila.Email);
        var question = await user.OpenLinkAsync(link);
        await user.ChoosePasswordAsync(await user.AnswerAsync(question, Users.Lila.TrustAnswer), ForgottenPassword.NewPassword);

        using var again = app.NewUser();
        var reused = await again.OpenLinkAsync(link);

        Assert.Equal(HttpStatusCode.NotFound, reused.Status);
        Assert.Contains(Expired, reused.Text);
        Assert.NotNull(reused.Document.QuerySelector("a[href='/mot-de-passe-oublie']"));
        Assert.Equal("/mot-de-passe-oublie", (await again.GetAsync("/mot-de-passe-oublie/question")).Url.AbsolutePath);
    }

    [Fact]
    public async Task The_link_expires_after_an_hour()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var link = await app.ResetLinkAsync(user, Users.Lila.Email);

        app.Time.Advance(TimeSpan.FromMinutes(59));
        using var early = app.NewUser();
        Assert.Equal("/mot-de-passe-oublie/question", (await early.OpenLinkAsync(link)).Url.AbsolutePath);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        var expired = await user.OpenLinkAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, expired.Status);
        Assert.Contains(Expired, expired.Text);
    }

    [Fact]
    public async Task A_question_left_open_past_the_link_lifetime_is_refused()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var question = await user.OpenLinkAsync(await app.ResetLinkAsync(user, Users.Lila.Email));

        app.Time.Advance(TimeSpan.FromMinutes(61));
        var page = await user.AnswerAsync(question, Users.Lila.TrustAnswer);

        Assert.Contains(Expired, page.Text);
        Assert.Null(page.Document.QuerySelector(ForgottenPassword.PasswordForm));
    }

    [Fact]
    public async Task A_new_request_voids_the_previous_link_and_malformed_links_are_refused()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var first = await app.ResetLinkAsync(user, Users.Lila.Email);
        var second = await app.ResetLinkAsync(user, Users.Lila.Email);

        Assert.Contains(Expired, (await user.OpenLinkAsync(first)).Text);
        Assert.Equal("/mot-de-passe-oublie/question", (await user.OpenLinkAsync(second)).Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/mot-de-passe-oublie/lien/pas-un-jeton")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/mot-de-passe-oublie/lien/" + new string('A', 43))).Status);
    }

    [Fact]
    public async Task The_later_steps_are_not_reachable_without_the_link()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        Assert.Equal("/mot-de-passe-oublie", (await user.GetAsync("/mot-de-passe-oublie/question")).Url.AbsolutePath);
        Assert.Equal("/mot-de-passe-oublie", (await user.GetAsync("/mot-de-passe-oublie/nouveau-mot-de-passe")).Url.AbsolutePath);
        Assert.Equal("/mot-de-passe-oublie", (await user.GetAsync("/mot-de-passe-oublie/confirmation")).Url.AbsolutePath);
        Assert.Equal("/mot-de-passe-oublie", (await user.GetAsync("/mot-de-passe-oublie/demande-envoyee")).Url.AbsolutePath);

        // With the link but without the answer, the password step sends back to the question.
        await user.OpenLinkAsync(await app.ResetLinkAsync(user, Users.Lila.Email));
        Assert.Equal("/mot-de-passe-oublie/question", (await user.GetAsync("/mot-de-passe-oublie/nouveau-mot-de-passe")).Url.AbsolutePath);
    }

    [Fact]
    public async Task The_answer_given_in_one_browser_does_not_open_the_password_step_in_another()
    {
        await using var app = new TestApp();
        using var owner = app.NewUser();
        var link = await app.ResetLinkAsync(owner, Users.Lila.Email);
        await owner.AnswerAsync(await owner.OpenLinkAsync(link), Users.Lila.TrustAnswer);

        using var other = app.NewUser();
        var question = await other.OpenLinkAsync(link);

        Assert.Equal("/mot-de-passe-oublie/question", question.Url.AbsolutePath);
        Assert.Equal("/mot-de-passe-oublie/question", (await other.GetAsync("/mot-de-passe-oublie/nouveau-mot-de-passe")).Url.AbsolutePath);
    }

    [Fact]
    public async Task A_wrong_answer_is_refused_next_to_the_field_and_the_comparison_is_exact()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var question = await user.OpenLinkAsync(await app.ResetLinkAsync(user, Users.Lila.Email));

        var empty = await user.AnswerAsync(question, "");
        Assert.Equal(["Saisissez la réponse à votre question de confiance."], empty.FieldErrors("reponse"));

        foreach (var almost in new[] { "ratatouille", "Ratatouille ", " Ratatouille", "RATATOUILLE" })
        {
            var wrong = await user.AnswerAsync(question, almost);
            Assert.Equal("/mot-de-passe-oublie/question", wrong.Url.AbsolutePath);
            var message = Assert.Single(wrong.FieldErrors("reponse"));
            Assert.StartsWith("La réponse saisie ne correspond pas à celle de votre question de confiance.", message);
            Assert.DoesNotContain(almost.Trim(), wrong.Document.QuerySelector("#reponse")!.OuterHtml);
        }
        Assert.Equal(4, await app.DbAsync(db => db.PasswordResets.Select(r => r.FailedAnswers).SingleAsync()));

        var right = await user.AnswerAsync(question, Users.Lila.TrustAnswer);
        Assert.Equal("/mot-de-passe-oublie/nouveau-mot-de-passe", right.Url.AbsolutePath);
        Assert.Equal(4, await app.DbAsync(db => db.PasswordResets.Select(r => r.FailedAnswers).SingleAsync()));
    }

    [Fact]
    public async Task Five_wrong_answers_void_the_request()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var link = await app.ResetLinkAsync(user, Users.Lila.Email);
        var question = await user.OpenLinkAsync(link);

        Page page = question;
        for (var i = 1; i <= 4; i++)
        {
            page = await user.AnswerAsync(question, "Gratin dauphinois");
            Assert.Contains(i == 4 ? "Il vous reste 1 essai." : $"Il vous reste {5 - i} essais.", page.FieldErrors("reponse").Single());
        }
        page = await user.AnswerAsync(question, "Gratin dauphinois");
        Assert.Contains("Vous avez saisi 5 réponses incorrectes : cette demande de réinitialisation est annulée.", page.Text);
        Assert.NotNull(page.Document.QuerySelector("a[href='/mot-de-passe-oublie']"));

        var request = await app.DbAsync(db => db.PasswordResets.SingleAsync());
        Assert.NotNull(request.VoidedAt);
        Assert.Null(request.AnswerVerifiedAt);
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "password-reset.answer-throttled")));

        // Even the right answer, even through the link again, no longer opens anything.
        Assert.Equal("/mot-de-passe-oublie", (await user.AnswerAsync(question, Users.Lila.TrustAnswer)).Url.AbsolutePath);
        Assert.Contains(Expired, (await user.OpenLinkAsync(link)).Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Parallel_wrong_answers_cannot_spend_more_than_five_tries(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        var question = await user.OpenLinkAsync(await app.ResetLinkAsync(user, Users.Lila.Email));
        const int tries = 20;

        await Task.WhenAll(Enumerable.Range(0, tries).Select(_ => user.AnswerAsync(question, "Gratin dauphinois")));

        var request = await app.DbAsync(db => db.PasswordResets.SingleAsync());
        Assert.Equal(EspacePro.Web.Pages.MotDePasseOublie.ResetFlow.MaxFailedAnswers, request.FailedAnswers);
        Assert.NotNull(request.VoidedAt);
        // Each checked answer leaves one of these two events; the other tries were refused unchecked.
        var checkedAnswers = await app.DbAsync(db => db.AuditEvents.CountAsync(e =>
            e.Type == "password-reset.answer-failed" || e.Type == "password-reset.answer-throttled"));
        Assert.Equal(EspacePro.Web.Pages.MotDePasseOublie.ResetFlow.MaxFailedAnswers, checkedAnswers);
    }

    [Theory]
    [InlineData("", "", "Input.NewPassword", "Saisissez votre nouveau mot de passe.")]
    [InlineData("Hirondelle-Cactus-1", "Hirondelle-Cactus-1", "Input.NewPassword", "Le mot de passe doit comporter au moins 20 caractères.")]
    [InlineData("lila.rosemonde@espacepro.test", "lila.rosemonde@espacepro.test", "Input.NewPassword", PasswordMessages.SameAsEmail)]
    [InlineData("azertyuiop1234567890", "azertyuiop1234567890", "Input.NewPassword", PasswordMessages.Common)]
    [InlineData("LilaRosemonde-impots-dgfip", "LilaRosemonde-impots-dgfip", "Input.NewPassword", PasswordMessages.PersonalInformation)]
    [InlineData("Hirondelle-aaaaaaaa-Cactus", "Hirondelle-aaaaaaaa-Cactus", "Input.NewPassword", PasswordMessages.RunOrSequence)]
    [InlineData("Hirondelle-abcdefgh-Cactus", "Hirondelle-abcdefgh-Cactus", "Input.NewPassword", PasswordMessages.RunOrSequence)]
    [InlineData("Cerisier-Violon-Nuage-2026", "Cerisier-Violon-Nuage-2026", "Input.NewPassword", "Le nouveau mot de passe doit être différent de votre mot de passe actuel.")]
    [InlineData(ForgottenPassword.NewPassword, ForgottenPassword.NewPassword + "x", "Input.ConfirmPassword", "Les deux mots de passe saisis ne sont pas identiques.")]
    [InlineData(ForgottenPassword.NewPassword, "", "Input.ConfirmPassword", "Confirmez votre nouveau mot de passe.")]
    public async Task Every_password_rule_has_its_message_at_the_last_step_and_nothing_is_saved(string password, string confirmation, string field, string message)
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var question = await user.OpenLinkAsync(await app.ResetLinkAsync(user, Users.Lila.Email));
        var form = await user.AnswerAsync(question, Users.Lila.TrustAnswer);

        var page = await user.ChoosePasswordAsync(form, password, confirmation);

        Assert.Contains(message, page.FieldErrors(field.Replace('.', '-').ToLowerInvariant()));
        if (password.Length > 0)
        {
            Assert.DoesNotContain(password, page.Document.DocumentElement.OuterHtml);
        }
        Assert.Null(await app.DbAsync(db => db.PasswordResets.Select(r => r.UsedAt).SingleAsync()));
        Assert.Empty(await app.DeliverMailAsync());
        Assert.Equal("/", (await app.NewUser().LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [Fact]
    public async Task One_of_the_last_five_passwords_is_refused()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: "Hirondelle-Cactus-Lanterne-Une");
        await app.DeliverMailAsync();

        var question = await user.OpenLinkAsync(await app.ResetLinkAsync(user, Users.Lila.Email));
        var page = await user.ChoosePasswordAsync(await user.AnswerAsync(question, Users.Lila.TrustAnswer), Users.Lila.Password);

        Assert.Equal(["Vous avez déjà utilisé ce mot de passe : choisissez-en un différent de vos 5 derniers mots de passe."],
            page.FieldErrors("input-newpassword"));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_pending_e_mail_change_and_other_links_are_voided_by_the_reset(string provider)
    {
        await using var app = new TestApp(provider);
        using var session = app.NewUser();
        await session.LoginAsync(Users.Lila);
        const string newEmail = "lila.nouvelle@espacepro.test";
        var code = await app.RequestEmailChangeAsync(session, newEmail);

        using var user = app.NewUser();
        var question = await user.OpenLinkAsync(await app.ResetLinkAsync(user, Users.Lila.Email));
        var form = await user.AnswerAsync(question, Users.Lila.TrustAnswer);
        // A second request in another browser, after the first one was answered.
        using var other = app.NewUser();
        var otherLink = await app.ResetLinkAsync(other, Users.Lila.Email);
        var done = await user.ChoosePasswordAsync(form, ForgottenPassword.NewPassword);

        // The second request voided the first: its answer step cannot finish the reset.
        Assert.Contains(Expired, done.Text);
        var question2 = await other.OpenLinkAsync(otherLink);
        done = await other.ChoosePasswordAsync(await other.AnswerAsync(question2, Users.Lila.TrustAnswer), ForgottenPassword.NewPassword);
        Assert.Equal("/mot-de-passe-oublie/confirmation", done.Url.AbsolutePath);

        var pending = await app.DbAsync(db => db.PendingEmailChanges.SingleAsync());
        Assert.NotNull(pending.VoidedAt);
        Assert.Equal("reset", pending.VoidReason);
        Assert.All(await app.DbAsync(db => db.PasswordResets.ToListAsync()), r => Assert.True(r.UsedAt is not null || r.VoidedAt is not null));

        using var activator = app.NewUser();
        var step1 = await activator.GetAsync("/activation");
        var step2 = await activator.SubmitAsync(step1, "#form-code", new Dictionary<string, string?> { ["Code"] = code });
        var refused = await activator.SubmitAsync(step2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = newEmail });
        Assert.Equal("/activation", refused.Url.AbsolutePath);
        Assert.Equal([EspacePro.Web.Pages.Activation.IdentifiantsModel.StaleMessage], refused.SummaryErrors);
        Assert.Equal(Users.Lila.Email, await app.DbAsync(db => db.Users.Where(a => a.SubscriberNumber == Users.Lila.SubscriberNumber).Select(a => a.Email).SingleAsync()));
    }

    [Fact]
    public async Task A_throttled_account_can_reset_and_log_in_at_once()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        for (var i = 0; i < LoginThrottler.AccountAllowance; i++)
        {
            await user.LoginAsync(Users.Lila.Email, "Pas-le-bon-mot-de-passe-du-tout");
        }
        Assert.Equal([IndexModel.FailureMessage], (await user.LoginAsync(Users.Lila)).SummaryErrors);

        var done = await app.ResetPasswordAsync(user, Users.Lila.Email, Users.Lila.TrustAnswer);
        Assert.Equal("/mot-de-passe-oublie/confirmation", done.Url.AbsolutePath);

        Assert.Equal("/", (await user.LoginAsync(Users.Lila.Email, ForgottenPassword.NewPassword)).Url.AbsolutePath);
    }

    [Fact]
    public async Task The_confirmation_is_shown_once_and_links_to_the_login_page()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var done = await app.ResetPasswordAsync(user, Users.Lila.Email, Users.Lila.TrustAnswer);
        Assert.Contains("Connexion à l'espace professionnel", done.Text);

        Assert.Equal("/mot-de-passe-oublie", (await user.GetAsync("/mot-de-passe-oublie/confirmation")).Url.AbsolutePath);
        Assert.Equal("/mot-de-passe-oublie", (await user.GetAsync("/mot-de-passe-oublie/nouveau-mot-de-passe")).Url.AbsolutePath);
    }

    [Fact]
    public async Task The_reset_cookie_is_strict_http_only_and_carries_no_token()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var link = await app.ResetLinkAsync(user, Users.Lila.Email);

        var response = await user.Client.GetAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/mot-de-passe-oublie/question", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-EspacePro.Reset=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(link.AbsolutePath.Split('/').Last(), cookie);
    }

    [Fact]
    public async Task A_forged_post_without_token_is_refused()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var response = await user.Client.PostAsync("/mot-de-passe-oublie", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = Users.Lila.Email,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task A_space_gets_at_most_five_links_an_hour()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        for (var i = 0; i < 7; i++)
        {
            Assert.Contains(ForgottenPassword.NeutralMessage, (await user.RequestResetAsync(Users.Lila.Email)).Text);
        }
        Assert.Equal(5, (await app.DeliverMailAsync()).Count);

        app.Time.Advance(TimeSpan.FromMinutes(61));
        await user.RequestResetAsync(Users.Lila.Email);
        Assert.Single(await app.DeliverMailAsync());
    }
}
