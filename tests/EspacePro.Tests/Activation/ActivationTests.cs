using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Pages.Activation;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace EspacePro.Tests.Activation;

public sealed class ActivationTests
{
    private const string NewEmail = "lila.rosemonde1@espacepro.test";

    private static Task<Page> StepOneAsync(UserAgent user, Page page, string code) =>
        user.SubmitAsync(page, "#form-code", new Dictionary<string, string?> { ["Code"] = code });

    private static Task<Page> StepTwoAsync(UserAgent user, Page page, string email) =>
        user.SubmitAsync(page, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = email });

    private static char Swap(char c) => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);

    /// <summary>Requests a change as Lila, logs out, and returns a logged-out browser and the code.</summary>
    private static async Task<(UserAgent Browser, string Code)> PendingChangeAsync(TestApp app, CookieContainer? cookies = null)
    {
        var user = cookies is null ? app.NewUser() : app.NewUser(cookies);
        await user.LoginAsync(Users.Lila);
        var code = await app.RequestEmailChangeAsync(user, NewEmail);
        var home = await user.GetAsync("/");
        await user.SubmitAsync(home, "form.logout-form", new Dictionary<string, string?>());
        return (user, code);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_three_steps_move_the_login_to_the_new_e_mail(string provider)
    {
        await using var app = new TestApp(provider);
        using var stale = app.NewUser();
        await stale.LoginAsync(Users.Lila);
        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;

        var step2 = await StepOneAsync(user, await user.GetAsync("/activation"), code);
        Assert.Equal("/activation/identifiants", step2.Url.AbsolutePath);
        Assert.Equal(code, step2.Document.QuerySelector("#code-affiche")!.GetAttribute("value"));

        var step3 = await StepTwoAsync(user, step2, NewEmail.ToUpperInvariant());
        Assert.Equal("/activation/recapitulatif", step3.Url.AbsolutePath);
        // A change, not a registration: it says the change was activated today.
        Assert.DoesNotContain("Votre inscription", step3.Text);
        Assert.Contains("Votre modification", step3.Text);
        Assert.Contains("ROSEMONDE Lila", step3.Text);
        Assert.Contains("La modification de votre adresse électronique de connexion a été activée le 23 février 2026. Votre espace garde son numéro d'abonné 20101670101919", step3.Text);
        Assert.Contains("Ce numéro d'abonné vous est personnel et doit le rester.", step3.Text);
        Assert.Contains("Accédez à vos services en ligne", step3.Text);

        // The old address is refused, the new one opens the space, older sessions are closed.
        using var later = app.NewUser();
        Assert.Equal("/connexion", (await later.LoginAsync(Users.Lila)).Url.AbsolutePath);
        Assert.Equal("/", (await later.LoginAsync(NewEmail, Users.Lila.Password)).Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await stale.Client.GetAsync("/")).StatusCode);

        var notice = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(Users.Lila.Email, notice.To);
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "email-change.activated")));
    }

    [Fact]
    public async Task The_recap_pdf_of_step_three_holds_every_value_and_no_secret()
    {
        await using var app = new TestApp();
        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;
        var step3 = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), NewEmail);

        var href = step3.Document.QuerySelectorAll("a").Single(a => a.TextContent.Contains("Sauvegardez ou imprimez le récapitulatif")).GetAttribute("href")!;
        var response = await user.Client.GetAsync(href);

        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
        foreach (var value in new[] { "ROSEMONDE", "Lila", "20101670101919", "0123456789", NewEmail, "Paris", "Quel est votre plat préféré ?", "RECAPITULATIF DE VOS DONNEES PERSONNELLES" })
        {
            Assert.Contains(value, text);
        }
        foreach (var secret in new[] { Users.Lila.Password, Users.Lila.TrustAnswer, code })
        {
            Assert.DoesNotContain(secret, text);
        }
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "recap.downloaded")));

        // Only that browser, only for a while.
        using var other = app.NewUser();
        Assert.Equal(HttpStatusCode.Redirect, (await other.Client.GetAsync(href)).StatusCode);
    }

    [Fact]
    public async Task Errors_never_say_whether_the_code_or_the_address_was_wrong()
    {
        await using var app = new TestApp();
        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;

        var wrongAddress = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), "quelqu.un@espacepro.test");
        // The right letters with one letter's case swapped: well-formed, but not the code.
        var at = code.Select((c, i) => (c, i)).First(x => EspacePro.Web.Accounts.ActivationCodes.Alphabet.Contains(Swap(x.c))).i;
        var swapped = code[..at] + Swap(code[at]) + code[(at + 1)..];
        var wrongCode = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), swapped), NewEmail);

        Assert.Equal([IdentifiantsModel.MismatchMessage], wrongAddress.SummaryErrors);
        Assert.Equal([IdentifiantsModel.MismatchMessage], wrongCode.SummaryErrors);
        Assert.Empty(wrongAddress.FieldErrors("code"));
    }

    [Theory]
    [InlineData("BBBzvnAjPtU", "Le code d'activation comporte 12 lettres, sans chiffre ni espace : vérifiez votre saisie.")]
    [InlineData("BBBzvnAjPtUpX", "Le code d'activation comporte 12 lettres, sans chiffre ni espace : vérifiez votre saisie.")]
    [InlineData("", "Saisissez le code d'activation reçu par courriel.")]
    public async Task A_code_of_the_wrong_shape_is_refused_at_step_one(string code, string message)
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var page = await StepOneAsync(user, await user.GetAsync("/activation"), code);

        Assert.Equal("/activation", page.Url.AbsolutePath);
        Assert.Equal([message], page.FieldErrors("code"));
    }

    [Fact]
    public async Task After_five_wrong_addresses_with_the_code_even_the_right_one_fails()
    {
        await using var app = new TestApp();
        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;
        for (var i = 0; i < 5; i++)
        {
            await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), $"essai{i}@espacepro.test");
        }

        var sixth = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), NewEmail);

        Assert.Equal([IdentifiantsModel.StaleMessage], sixth.SummaryErrors);
        Assert.Equal("attempts", await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.VoidReason).SingleAsync()));
    }

    [Fact]
    public async Task An_expired_code_is_refused_with_a_message_to_start_again()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Activation:CodeLifetime"] = "01:00:00" });
        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;
        app.Time.Advance(TimeSpan.FromMinutes(61));

        var page = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), NewEmail);

        Assert.Equal([IdentifiantsModel.StaleMessage], page.SummaryErrors);
        using var other = app.NewUser();
        Assert.Equal("/connexion", (await other.LoginAsync(NewEmail, Users.Lila.Password)).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_new_space_with_a_stale_code_is_not_told_to_restart_from_a_space_it_does_not_have(string provider)
    {
        await using var app = new TestApp(provider, new Dictionary<string, string?> { ["Activation:CodeLifetime"] = "01:00:00" });
        using var user = app.NewUser();
        const string email = "jeanne.martin@espacepro.test";
        await user.SubmitAsync(await user.GetAsync("/creation"), "#form-creation", Creation.CreationTests.Form(email));
        var code = Identifiers.ActivationCodeIn(Assert.Single(await app.DeliverMailAsync()).TextBody);
        app.Time.Advance(TimeSpan.FromMinutes(61));

        var expired = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), email);
        Assert.Equal([IdentifiantsModel.NewAccountStaleMessage], expired.SummaryErrors);
        Assert.DoesNotContain("depuis votre espace", IdentifiantsModel.NewAccountStaleMessage);
    }

    [Fact]
    public async Task A_new_space_reads_votre_inscription_and_its_used_code_gets_the_new_space_message()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        const string email = "jeanne.martin@espacepro.test";
        await user.SubmitAsync(await user.GetAsync("/creation"), "#form-creation", Creation.CreationTests.Form(email));
        var code = Identifiers.ActivationCodeIn(Assert.Single(await app.DeliverMailAsync()).TextBody);

        var step3 = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), email);
        var number = await app.DbAsync(db => db.Users.Where(a => a.LastName == "Martin").Select(a => a.SubscriberNumber).SingleAsync());
        Assert.Contains($"Votre inscription a été réalisée le 23 février 2026 sous le numéro {number}.", step3.Text);

        var again = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), email);
        Assert.Equal([IdentifiantsModel.NewAccountStaleMessage], again.SummaryErrors);
    }

    [Fact]
    public async Task A_code_is_single_use_and_later_steps_cannot_be_reached_or_replayed()
    {
        await using var app = new TestApp();
        using var direct = app.NewUser();
        Assert.Equal("/activation", (await direct.GetAsync("/activation/identifiants")).Url.AbsolutePath);
        Assert.Equal("/activation", (await direct.GetAsync("/activation/recapitulatif")).Url.AbsolutePath);

        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;
        var step2 = await StepOneAsync(user, await user.GetAsync("/activation"), code);
        await StepTwoAsync(user, step2, NewEmail);

        var replay = await StepTwoAsync(user, step2, NewEmail);
        Assert.Equal("/activation", replay.Url.AbsolutePath);
        var again = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), NewEmail);
        Assert.Equal([IdentifiantsModel.StaleMessage], again.SummaryErrors);
    }

    [Fact]
    public async Task A_failed_step_two_goes_back_to_step_one_and_its_captcha()
    {
        await using var app = new TestApp();
        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;
        var step2 = await StepOneAsync(user, await user.GetAsync("/activation"), code);
        Assert.Equal("/activation/identifiants", step2.Url.AbsolutePath);

        var failed = await StepTwoAsync(user, step2, "quelqu.un@espacepro.test");

        Assert.Equal("/activation", failed.Url.AbsolutePath);
        Assert.Equal([IdentifiantsModel.MismatchMessage], failed.SummaryErrors);
        Assert.NotNull(failed.Document.QuerySelector("#form-code"));
        Assert.Equal("", failed.Document.QuerySelector("#code")!.GetAttribute("value") ?? "");
        // The wizard forgot the code: step 2 cannot be tried again without a new captcha.
        Assert.Equal("/activation", (await user.GetAsync("/activation/identifiants")).Url.AbsolutePath);
        Assert.Equal(1, await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.FailedAttempts).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_attacker_without_the_code_cannot_spend_a_victims_tries(string provider)
    {
        await using var app = new TestApp(provider);
        var (victim, code) = await PendingChangeAsync(app);
        using var _ = victim;

        // The attacker knows the victim's new address, not the code.
        using var attacker = app.NewUser();
        for (var i = 0; i < 10; i++)
        {
            var page = await StepTwoAsync(attacker, await StepOneAsync(attacker, await attacker.GetAsync("/activation"), "BBBzvnAjPtUp"), NewEmail);
            Assert.Equal([IdentifiantsModel.MismatchMessage], page.SummaryErrors);
        }

        Assert.Equal(0, await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.FailedAttempts).SingleAsync()));
        var step3 = await StepTwoAsync(victim, await StepOneAsync(victim, await victim.GetAsync("/activation"), code), NewEmail);
        Assert.Equal("/activation/recapitulatif", step3.Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Parallel_tries_with_the_code_cannot_spend_more_than_the_allowance(string provider)
    {
        await using var app = new TestApp(provider);
        var cookies = new CookieContainer();
        var (user, code) = await PendingChangeAsync(app, cookies);
        using var _ = user;
        const int tries = 20;
        var step2 = await StepOneAsync(user, await user.GetAsync("/activation"), code);
        // Every try carries the wizard's step-2 cookie, as an attacker replaying it would: none
        // is turned away early because another's answer cleared the wizard in a shared jar.
        var attackers = Enumerable.Range(0, tries).Select(_ =>
        {
            var copy = new CookieContainer();
            foreach (Cookie cookie in cookies.GetAllCookies())
            {
                copy.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain) { Secure = cookie.Secure, HttpOnly = cookie.HttpOnly });
            }
            return app.NewUser(copy);
        }).ToList();

        var pages = await Task.WhenAll(attackers.Select((a, i) => StepTwoAsync(a, step2, $"essai{i}@espacepro.test")));
        attackers.ForEach(a => a.Dispose());

        var pending = await app.DbAsync(db => db.PendingEmailChanges.SingleAsync());
        Assert.Equal(5, pending.FailedAttempts);
        Assert.Equal("attempts", pending.VoidReason);
        Assert.All(pages, p => Assert.Equal("/activation", p.Url.AbsolutePath));
        // Five tries were compared with the address; the others found the code used up.
        Assert.Equal(5, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "activation.failed")));
        Assert.Equal(tries - 5, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "activation.stale")));

        var late = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), NewEmail);
        Assert.Equal([IdentifiantsModel.StaleMessage], late.SummaryErrors);
    }

    [Fact]
    public async Task Phone_keyboards_neither_capitalise_nor_correct_codes_answers_and_addresses()
    {
        await using var app = new TestApp();
        using var anonymous = app.NewUser();
        using var lila = app.NewUser();
        await lila.LoginAsync(Users.Lila);
        var identifiers = await lila.GetAsync("/gerer-mon-espace/identifiants");
        var fields = new (Page Page, string Selector)[]
        {
            (await anonymous.GetAsync("/activation"), "#code"),
            (await anonymous.GetAsync("/connexion"), "#email"),
            (await anonymous.GetAsync("/creation"), "[name='Input.Answer']"),
            (await anonymous.GetAsync("/creation"), "[name='Input.Email']"),
            (identifiers, "[name='Input.Answer']"),
            (identifiers, "[name='Input.NewEmail']"),
            (identifiers, "[name='Input.ConfirmEmail']"),
        };

        foreach (var (page, selector) in fields)
        {
            var input = page.Document.QuerySelector(selector);
            Assert.True(input is not null, selector);
            Assert.Equal(("none", "off", "false"),
                (input.GetAttribute("autocapitalize"), input.GetAttribute("autocorrect"), input.GetAttribute("spellcheck")));
        }
    }

    [Fact]
    public async Task Abandonner_at_any_step_returns_to_the_login_page_and_forgets_the_wizard()
    {
        await using var app = new TestApp();
        var (user, code) = await PendingChangeAsync(app);
        using var _ = user;

        var step1 = await user.GetAsync("/activation");
        Assert.NotNull(step1.Document.QuerySelector("#form-abandon"));
        var step2 = await StepOneAsync(user, step1, code);
        var left = await user.SubmitAsync(step2, "#form-abandon", new Dictionary<string, string?>());
        Assert.Equal("/connexion", left.Url.AbsolutePath);
        // The code typed is forgotten: step 2 cannot be reached, step 1 is empty again.
        Assert.Equal("/activation", (await user.GetAsync("/activation/identifiants")).Url.AbsolutePath);
        Assert.Equal("", (await user.GetAsync("/activation")).Document.QuerySelector("#code")!.GetAttribute("value") ?? "");

        var step3 = await StepTwoAsync(user, await StepOneAsync(user, await user.GetAsync("/activation"), code), NewEmail);
        Assert.Contains("Vous pourrez le télécharger de nouveau à tout moment depuis votre espace : « Gérer mon espace » puis « Télécharger mon récapitulatif ».", step3.Text);
        var print = step3.Document.QuerySelector("button[data-print]")!;
        Assert.Equal("Imprimer", print.TextContent.Trim());
        Assert.True(print.HasAttribute("hidden"));
        await user.SubmitAsync(step3, "#form-abandon", new Dictionary<string, string?>());
        Assert.Equal("/activation", (await user.GetAsync("/activation/recapitulatif")).Url.AbsolutePath);
    }

    [Fact]
    public async Task A_logged_in_browser_is_asked_to_log_out_first()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.GetAsync("/activation");
        Assert.Null(page.Document.QuerySelector("#form-code"));
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/")).StatusCode);

        var after = await user.SubmitAsync(page, "main form[method=post]", new Dictionary<string, string?>());
        Assert.NotNull(after.Document.QuerySelector("#form-code"));
        Assert.Equal(HttpStatusCode.Redirect, (await user.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Step_one_needs_the_captcha_when_it_is_on()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Captcha:Enabled"] = "true" });
        using var user = app.NewUser();

        var page = await StepOneAsync(user, await user.GetAsync("/activation"), "BBBzvnAjPtUp");

        Assert.Equal(["Recopiez les 6 caractères de l'image."], page.FieldErrors("captcha-answer"));
    }
}
