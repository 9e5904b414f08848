using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using EspacePro.Web.Pages.Connexion;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Connexion;

/// <summary>
/// « Saisissez le code de sécurité reçu par courriel »: a browser the space does not recognise
/// proves, after the password, that it reads the login mailbox; a recognised one does not.
/// </summary>
public sealed class LoginCodeTests
{
    private const string CodePath = "/connexion/code";
    private const string Field = "code-securite";
    private static readonly Uri Site = new("https://localhost/");

    private static TestApp NewApp(string provider, string logLevel = "Warning") =>
        new(provider, new Dictionary<string, string?>
        {
            ["Security:LoginCode:Enabled"] = "true",
            ["Logging:LogLevel:Default"] = logLevel,
        });

    private static Task<int> OpenSessionsAsync(TestApp app) => app.DbAsync(db => db.Sessions.CountAsync(s => s.RevokedAt == null));

    /// <summary>The password step; returns the code step and the code its mail carries.</summary>
    private static async Task<(Page Step, string Code)> PasswordStepAsync(TestApp app, UserAgent user)
    {
        var step = await user.LoginAsync(Users.Lila);
        Assert.Equal(CodePath, step.Url.AbsolutePath);
        var mail = (await app.DeliverMailAsync()).To(Users.Lila.Email);
        return (step, mail.LoginCode());
    }

    private static Task<Page> TypeAsync(UserAgent user, Page step, string code, bool follow = true) =>
        user.SubmitAsync(step, Users.CodeForm, new Dictionary<string, string?> { ["Code"] = code }, follow);

    /// <summary>A well-formed code that is not <paramref name="code"/>.</summary>
    private static string Other(string code) => code == "000000" ? "111111" : "000000";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_new_browser_needs_the_code_and_a_recognised_one_does_not(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();

        var (step, code) = await PasswordStepAsync(app, user);
        // Not logged in until the code is right, and the code is nowhere on the page.
        Assert.Equal(0, await OpenSessionsAsync(app));
        Assert.Equal("/connexion", (await user.GetAsync("/gerer-mon-espace")).Url.AbsolutePath);
        step = await user.GetAsync(CodePath);
        Assert.Contains("Saisissez le code de sécurité reçu par courriel", step.Text);
        Assert.DoesNotContain(code, step.Response.Content.Headers.ToString() + await step.Response.Content.ReadAsStringAsync());
        var input = step.Document.QuerySelector($"#{Field}")!;
        Assert.Equal("one-time-code", input.GetAttribute("autocomplete"));
        Assert.Equal("numeric", input.GetAttribute("inputmode"));
        Assert.Equal("off", input.GetAttribute("autocorrect"));

        var home = await TypeAsync(user, step, code);
        Assert.Equal("/", home.Url.AbsolutePath);
        Assert.Equal(1, await OpenSessionsAsync(app));
        Assert.Equal(1, await app.DbAsync(db => db.TrustedDevices.CountAsync(d => d.RevokedAt == null)));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "login.code.sent")));

        // Logged out, the same browser logs in with its password alone: no code, no mail.
        await user.SubmitAsync(await user.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());
        Assert.Equal("/", (await user.LoginAsync(Users.Lila)).Url.AbsolutePath);
        Assert.Empty(await app.DeliverMailAsync());

        // Another browser is asked again.
        using var other = app.NewUser();
        Assert.Equal(CodePath, (await other.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_wrong_code_is_refused_next_to_the_field_and_recorded(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        var (step, code) = await PasswordStepAsync(app, user);

        var refused = await TypeAsync(user, step, Other(code));

        Assert.Equal(CodePath, refused.Url.AbsolutePath);
        Assert.Equal([CodeModel.WrongMessage], refused.FieldErrors(Field));
        Assert.Equal(0, await OpenSessionsAsync(app));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "login.code.failed")));
        // A slip of the keyboard is answered without spending a try.
        var malformed = await TypeAsync(user, refused, "12a456");
        Assert.Equal([CodeModel.MalformedMessage], malformed.FieldErrors(Field));
        Assert.Equal(1, await app.DbAsync(db => db.LoginCodes.Select(c => c.FailedAttempts).SingleAsync()));
        // The right code still works, typed as the mail shows it or split in two.
        Assert.Equal("/", (await TypeAsync(user, malformed, code[..3] + " " + code[3..])).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_expired_code_is_refused(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        var (step, code) = await PasswordStepAsync(app, user);

        app.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var refused = await TypeAsync(user, step, code);

        Assert.Equal([CodeModel.ExpiredMessage], refused.FieldErrors(Field));
        Assert.Equal(0, await OpenSessionsAsync(app));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_used_code_cannot_be_replayed_by_a_second_browser_holding_the_same_pending_cookie(string provider)
    {
        await using var app = NewApp(provider);
        var jar = new CookieContainer();
        using var user = app.NewUser(jar);
        var (step, code) = await PasswordStepAsync(app, user);
        // An attacker copies the pending login's cookie and opens the step in their own browser.
        var thief = new CookieContainer();
        thief.Add(jar.GetCookies(Site));
        using var attacker = app.NewUser(thief);
        var attackerStep = await attacker.GetAsync(CodePath);
        Assert.Equal(CodePath, attackerStep.Url.AbsolutePath);

        Assert.Equal("/", (await TypeAsync(user, step, code)).Url.AbsolutePath);
        var replayed = await TypeAsync(attacker, attackerStep, code);

        Assert.Equal("/connexion", replayed.Url.AbsolutePath);
        Assert.Equal(1, await OpenSessionsAsync(app));
        Assert.Equal("/connexion", (await attacker.GetAsync("/gerer-mon-espace")).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_new_code_voids_the_old_one(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        var (step, oldCode) = await PasswordStepAsync(app, user);

        var resent = await user.SubmitAsync(step, "#form-nouveau-code", new Dictionary<string, string?>());
        Assert.Contains(CodeModel.ResentMessage, resent.Text);
        var newCode = (await app.DeliverMailAsync()).To(Users.Lila.Email).LoginCode();

        if (oldCode != newCode)
        {
            Assert.Equal([CodeModel.WrongMessage], (await TypeAsync(user, resent, oldCode)).FieldErrors(Field));
        }
        Assert.Equal("/", (await TypeAsync(user, resent, newCode)).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Parallel_wrong_codes_cannot_spend_more_than_five_tries(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        var (step, code) = await PasswordStepAsync(app, user);

        // Twenty wrong codes at once, on the same pending login.
        const int tries = 20;
        var answers = await Task.WhenAll(Enumerable.Range(0, tries).Select(_ => TypeAsync(user, step, Other(code), follow: false)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(LoginCodes.MaxAttempts, await app.DbAsync(db => db.LoginCodes.Select(c => c.FailedAttempts).SingleAsync()));
        Assert.All(answers, a => Assert.Contains("Code de sécurité incorrect.", a.Text));
        // The tries are spent: even the right code is refused now, and no new code can be asked.
        var refused = await TypeAsync(user, step, code);
        Assert.Equal([CodeModel.VoidedMessage], refused.SummaryErrors);
        Assert.Null(refused.Document.QuerySelector(Users.CodeForm));
        Assert.Null(refused.Document.QuerySelector("#form-nouveau-code"));
        Assert.Equal(0, await OpenSessionsAsync(app));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_new_code_can_be_asked_three_times_per_login(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        var (step, _) = await PasswordStepAsync(app, user);

        for (var i = 0; i < LoginCodes.MaxResends; i++)
        {
            // A second apart, so that the mails go out in order.
            app.Time.Advance(TimeSpan.FromSeconds(1));
            step = await user.SubmitAsync(step, "#form-nouveau-code", new Dictionary<string, string?>());
            Assert.Contains(CodeModel.ResentMessage, step.Text);
        }
        var refused = await user.SubmitAsync(step, "#form-nouveau-code", new Dictionary<string, string?>());

        Assert.Equal([CodeModel.ResendRefusedMessage], refused.FieldErrors(Field));
        var mails = await app.DeliverMailAsync();
        Assert.Equal(LoginCodes.MaxResends, mails.Count);
        // The last code sent still opens the space.
        Assert.Equal("/", (await TypeAsync(user, refused, mails[^1].LoginCode())).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Parallel_requests_for_a_new_code_cannot_send_more_than_three(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        var (step, _) = await PasswordStepAsync(app, user);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            user.SubmitAsync(step, "#form-nouveau-code", new Dictionary<string, string?>(), follow: false)));

        Assert.Equal(LoginCodes.MaxResends, (await app.DeliverMailAsync()).Count);
        Assert.Equal(LoginCodes.MaxResends, await app.DbAsync(db => db.LoginCodes.Select(c => c.Resends).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Forgetting_this_device_makes_the_browser_ask_for_a_code_again(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        Assert.Equal("/", (await app.LoginWithCodeAsync(user, Users.Lila)).Url.AbsolutePath);

        var forgotten = await user.SubmitAsync(await user.GetAsync("/gerer-mon-espace"), "#form-oublier-appareil", new Dictionary<string, string?>());
        Assert.Contains("Ce navigateur n'est plus reconnu pour votre espace", forgotten.Text);
        await user.SubmitAsync(await user.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());

        Assert.Equal(CodePath, (await user.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_password_change_makes_every_browser_ask_for_a_code_again_and_ends_waiting_logins(string provider)
    {
        await using var app = NewApp(provider);
        using var user = app.NewUser();
        Assert.Equal("/", (await app.LoginWithCodeAsync(user, Users.Lila)).Url.AbsolutePath);
        // Someone else holds the old password and waits at the code step.
        using var intruder = app.NewUser();
        var (intruderStep, intruderCode) = await PasswordStepAsync(app, intruder);

        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Identifiers.NewPassword);
        Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
        await user.SubmitAsync(await user.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());
        await app.DeliverMailAsync();

        Assert.Equal(CodePath, (await user.LoginAsync(Users.Lila.Email, Identifiers.NewPassword)).Url.AbsolutePath);
        // The code mailed before the change opens nothing.
        Assert.Equal([CodeModel.VoidedMessage], (await TypeAsync(intruder, intruderStep, intruderCode)).SummaryErrors);
        Assert.Equal("/connexion", (await intruder.GetAsync("/gerer-mon-espace")).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_expired_password_asks_for_the_code_first_then_the_forced_change(string provider)
    {
        await using var app = NewApp(provider);
        await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordValidUntil, new DateOnly(2026, 2, 22))));
        using var user = app.NewUser();

        var (step, code) = await PasswordStepAsync(app, user);
        Assert.Equal(CodePath, step.Url.AbsolutePath);
        var forced = await TypeAsync(user, step, code);

        Assert.Equal(ExpiredPasswordGate.ChangePath, forced.Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_code_step_works_across_nodes(string provider)
    {
        await using var first = NewApp(provider);
        await using var second = new TestApp(provider, new Dictionary<string, string?>
        {
            ["Security:LoginCode:Enabled"] = "true",
            ["ConnectionStrings:EspacePro"] = first.ConnectionString,
            ["DemoData:Enabled"] = "false",
        });
        var jar = new CookieContainer();
        using var onFirst = first.NewUser(jar);
        var (_, code) = await PasswordStepAsync(first, onFirst);

        using var onSecond = second.NewUser(jar);
        var step = await onSecond.GetAsync(CodePath);
        Assert.Equal("/", (await TypeAsync(onSecond, step, code)).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_mail_says_when_and_from_which_browser_and_no_link_carries_a_secret(string provider)
    {
        await using var app = NewApp(provider, logLevel: "Debug");
        using var user = app.NewUser();
        user.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0");
        Assert.Equal(CodePath, (await user.LoginAsync(Users.Lila)).Url.AbsolutePath);

        var mail = (await app.DeliverMailAsync()).To(Users.Lila.Email);
        var code = mail.LoginCode();
        var text = System.Text.RegularExpressions.Regex.Replace(mail.TextBody, @"\s+", " ");

        Assert.Equal("Espace professionnel - Code de sécurité", mail.Subject);
        // 13:52 UTC on 23 February is 14h52 in Paris.
        Assert.Contains("le 23/02/2026 à 14h52 (heure de Paris)", text);
        Assert.Contains("Firefox sous Windows", text);
        Assert.Contains("valable 10 minutes", text);
        Assert.Contains("Mot de passe oublié ?", text);
        Assert.Equal([new Uri("https://espacepro.test/gerer-mon-espace/activite")], mail.Links());
        Assert.All(mail.Links(), l => Assert.DoesNotContain(code, l.AbsoluteUri));
        Assert.Contains(code, mail.HtmlBody);
        // Once sent, the outbox keeps no copy of the code; the logs never had one.
        Assert.All(await app.DbAsync(db => db.Outbox.ToListAsync()), m => Assert.DoesNotContain(code, m.TextBody + m.HtmlBody));
        Assert.DoesNotContain(app.Logs.Lines, e => e.Contains(code, StringComparison.Ordinal));
        // Only a salted hash is stored.
        Assert.All(await app.DbAsync(db => db.LoginCodes.ToListAsync()), c => Assert.DoesNotContain(code, c.CodeHash));
    }
}
