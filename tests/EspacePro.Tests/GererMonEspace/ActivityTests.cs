using System.Net;
using System.Text.RegularExpressions;
using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Tests.MotDePasseOublie;
using EspacePro.Web.Pages.GererMonEspace.Activite;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.GererMonEspace;

/// <summary>« Activité de mon espace »: the journal after each flow, and closing sessions.</summary>
public sealed class ActivityTests
{
    private const string Path = "/gerer-mon-espace/activite";
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string ChromeAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    private const string SafariIos = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    private const string Opera = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0";
    private const string ResetPassword = "Mistral-Ardoise-Pivoine-Falaise";
    private const string NewEmail = "lila.rosemonde1@espacepro.test";

    private static UserAgent Browser(TestApp app, string userAgent)
    {
        var user = app.NewUser();
        user.Client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return user;
    }

    private static IReadOnlyList<string[]> JournalRows(Page page) => Rows(page, "titre-journal");

    private static IReadOnlyList<string[]> SessionRows(Page page) => Rows(page, "titre-sessions");

    private static IReadOnlyList<string[]> Rows(Page page, string section) =>
        page.Document.QuerySelectorAll($"section[aria-labelledby={section}] tbody tr")
            .Select(tr => tr.QuerySelectorAll("td").Select(td => Regex.Replace(td.TextContent, @"\s+", " ").Trim()).ToArray())
            .ToList();

    /// <summary>A POST of the page's own anti-forgery token with chosen fields: what a user could forge.</summary>
    private static async Task<Page> PostWithPageTokenAsync(UserAgent user, Page page, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await user.Client.PostAsync($"{Path}?handler={handler}", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await user.FollowAsync(response);
    }

    private static Task<Guid> SessionIdOfAsync(TestApp app, string device) =>
        app.DbAsync(db => db.Sessions.Where(s => s.Device == device && s.RevokedAt == null).Select(s => s.Id).SingleAsync());

    private static async Task<HttpStatusCode> HomeStatusAsync(UserAgent user) => (await user.Client.GetAsync("/")).StatusCode;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_journal_shows_each_kind_of_event_after_its_flow_and_never_another_spaces(string provider)
    {
        await using var app = new TestApp(provider);
        using var lila = Browser(app, Firefox);
        using var stranger = Browser(app, ChromeAndroid);
        using var other = Browser(app, Opera);

        // Another space's activity, which Lila's journal must never show.
        await other.LoginAsync(Users.NoService.Email, "Mauvais-Mot-De-Passe-Autre-Espace");
        await other.LoginAsync(Users.NoService);
        await other.GetAsync("/gerer-mon-espace/recapitulatif");

        await lila.LoginAsync(Users.Lila);
        for (var i = 0; i < 3; i++)
        {
            await stranger.LoginAsync(Users.Lila.Email, "Mauvais-Mot-De-Passe-" + i);
        }
        await lila.GetAsync("/gerer-mon-espace/recapitulatif");
        await lila.SubmitIdentifiersAsync(await lila.OpenAsync(), newPassword: Identifiers.NewPassword);

        // « Mot de passe oublié » from another browser closes every session, Lila's included.
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.DeliverMailAsync();
        await app.ResetPasswordAsync(stranger, Users.Lila.Email, Users.Lila.TrustAnswer, ResetPassword);
        Assert.Equal("/", (await lila.LoginAsync(Users.Lila.Email, ResetPassword)).Url.AbsolutePath);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        await lila.SubmitIdentifiersAsync(await lila.OpenAsync(), question: "livre", answer: "Le Petit Prince");
        await app.RequestEmailChangeAsync(lila, NewEmail);
        // The trust notice and this one were written at the same instant: they may leave in either order.
        var cancel = app.Mail.Delivered.Last(m => m.Kind == "EmailChangeRequested").Links().Single(l => l.AbsolutePath.StartsWith("/annulation/", StringComparison.Ordinal));
        var cancelPage = await stranger.GetAsync(cancel.PathAndQuery);
        await stranger.SubmitAsync(cancelPage, "main form[method=post]", new Dictionary<string, string?>());
        // Cancelling closes every session of the space: Lila logs in again.
        await lila.LoginAsync(Users.Lila.Email, ResetPassword);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        var code = await app.RequestEmailChangeAsync(lila, NewEmail);
        using var activation = Browser(app, SafariIos);
        var step2 = await activation.SubmitAsync(await activation.GetAsync("/activation"), "#form-code", new Dictionary<string, string?> { ["Code"] = code });
        await activation.SubmitAsync(step2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = NewEmail });
        Assert.Equal("/", (await lila.LoginAsync(NewEmail, ResetPassword)).Url.AbsolutePath);

        var page = await lila.GetAsync(Path);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var rows = JournalRows(page);
        var labels = rows.Select(r => r[1]).ToList();
        Assert.Equal(
        [
            "Connexion à votre espace",
            "Activation de la nouvelle adresse électronique de connexion",
            "Demande de modification de l'adresse électronique de connexion (un code d'activation a été envoyé à la nouvelle adresse)",
            "Connexion à votre espace",
            "Annulation de la modification de l'adresse électronique de connexion",
            "Demande de modification de l'adresse électronique de connexion (un code d'activation a été envoyé à la nouvelle adresse)",
            "Modification de votre question de confiance ou de sa réponse",
            "Connexion à votre espace",
            "Réinitialisation du mot de passe",
            "Réponse exacte à la question de confiance (réinitialisation du mot de passe)",
            "Ouverture du lien de réinitialisation du mot de passe",
            "Demande de réinitialisation du mot de passe (un lien a été envoyé par courriel)",
            "Modification de votre mot de passe",
            "Téléchargement de votre récapitulatif",
            "3 tentatives refusées (mot de passe incorrect ou trop de tentatives)",
            "Connexion à votre espace",
        ], labels);
        // Logins with their date and time in Paris (14h52 UTC+1 in February) and their browser.
        Assert.Equal(["le 23/02/2026 à 14h52", "Connexion à votre espace", "Firefox sous Windows", ""], rows[^1]);
        // The refused attempts are one line for the day, without a time.
        Assert.Equal("le 23/02/2026", rows[^2][0]);
        Assert.Equal("Chrome sous Android", rows[^5][2]);
        Assert.Equal("Safari sous iOS", rows[1][2]);
        Assert.DoesNotContain("Opera", page.Text);
        Assert.DoesNotContain("pending", page.Document.DocumentElement.OuterHtml);
        Assert.DoesNotContain(code, page.Document.DocumentElement.OuterHtml);

        // Every notice of the flow links to the page; the reset link's mail carries a secret and no more.
        await app.DeliverMailAsync();
        var notices = app.Mail.Delivered.Where(m => m.To == Users.Lila.Email && m.Kind != "PasswordResetLink").ToList();
        Assert.Equal(["EmailChanged", "EmailChangeRequested", "PasswordChanged", "PasswordResetDone", "TrustAnswerChanged"], notices.Select(m => m.Kind).Distinct().Order());
        Assert.All(notices, m => Assert.Contains(new Uri("https://espacepro.test" + Path), m.Links()));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Closing_one_session_ends_exactly_that_one(string provider)
    {
        await using var app = new TestApp(provider);
        using var lila = Browser(app, Firefox);
        using var phone = Browser(app, ChromeAndroid);
        using var tablet = Browser(app, SafariIos);
        await lila.LoginAsync(Users.Lila);
        await phone.LoginAsync(Users.Lila);
        await tablet.LoginAsync(Users.Lila);
        var phoneSession = await SessionIdOfAsync(app, "Chrome sous Android");

        var page = await lila.GetAsync(Path);
        var sessions = SessionRows(page);
        Assert.Equal(3, sessions.Count);
        Assert.Contains(sessions, s => s[0] == "Firefox sous Windows Cette session" && s[1] == "le 23/02/2026 à 14h52");
        var form = page.Document.QuerySelectorAll("form.session-close")
            .Single(f => f.QuerySelector("input[name=session]")!.GetAttribute("value") == phoneSession.ToString());
        form.Id = "fermer-telephone";
        var after = await lila.SubmitAsync(page, "#fermer-telephone", new Dictionary<string, string?>());

        Assert.Contains("La session a été fermée", after.Text);
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(phone));
        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(tablet));
        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(lila));
        Assert.Equal(["Firefox sous Windows Cette session", "Safari sous iOS"], SessionRows(after).Select(s => s[0]));
        Assert.Contains("Fermeture d'une autre session depuis « Activité de mon espace »", JournalRows(after).Select(r => r[1]));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Closing_all_other_sessions_keeps_the_current_one(string provider)
    {
        await using var app = new TestApp(provider);
        using var lila = Browser(app, Firefox);
        using var phone = Browser(app, ChromeAndroid);
        using var tablet = Browser(app, SafariIos);
        using var other = Browser(app, Opera);
        await lila.LoginAsync(Users.Lila);
        await phone.LoginAsync(Users.Lila);
        await tablet.LoginAsync(Users.Lila);
        await other.LoginAsync(Users.NoService);

        var after = await lila.SubmitAsync(await lila.GetAsync(Path), "#form-fermer-autres", new Dictionary<string, string?>());

        Assert.Contains("Toutes les autres sessions ont été fermées", after.Text);
        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(lila));
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(phone));
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(tablet));
        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(other));
        Assert.Single(SessionRows(after));
        Assert.Null(after.Document.QuerySelector("#form-fermer-autres"));
        Assert.Contains("Aucun autre navigateur n'est connecté à votre espace.", after.Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_session_id_of_another_space_posted_closes_nothing(string provider)
    {
        await using var app = new TestApp(provider);
        using var lila = Browser(app, Firefox);
        using var victim = Browser(app, Opera);
        await lila.LoginAsync(Users.Lila);
        await victim.LoginAsync(Users.NoService);
        var victimSession = await SessionIdOfAsync(app, "Opera sous Windows");

        // Lila's own page and token, with the other space's session id in the form.
        var forged = await PostWithPageTokenAsync(lila, await lila.GetAsync(Path), "Close", new() { ["session"] = victimSession.ToString() });

        Assert.Contains("Cette session était déjà fermée.", forged.Text);
        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(victim));
        Assert.Null(await app.DbAsync(db => db.Sessions.Where(s => s.Id == victimSession).Select(s => s.RevokedAt).SingleAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "session.closed")));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_recognised_browser_is_forgotten_from_another_and_another_spaces_device_is_untouched(string provider)
    {
        await using var app = new TestApp(provider);
        using var office = Browser(app, Firefox);
        using var phone = Browser(app, ChromeAndroid);
        using var stranger = Browser(app, Opera);
        await office.LoginAsync(Users.Lila);
        await phone.LoginAsync(Users.Lila);
        await stranger.LoginAsync(Users.NoService);
        var phoneDevice = await app.DbAsync(db => db.TrustedDevices.Where(d => d.UserAgent == "Chrome sous Android").Select(d => d.Id).SingleAsync());
        var strangerDevice = await app.DbAsync(db => db.TrustedDevices.Where(d => d.UserAgent == "Opera sous Windows").Select(d => d.Id).SingleAsync());

        var page = await office.GetAsync(Path);
        var listed = Rows(page, "titre-appareils");
        Assert.Equal(2, listed.Count);
        Assert.Contains(listed, r => r[0].StartsWith("Firefox sous Windows", StringComparison.Ordinal) && r[0].Contains("Ce navigateur", StringComparison.Ordinal));
        Assert.Contains(listed, r => r[0] == "Chrome sous Android");

        // Lila's own page and token, with another space's device id in the form.
        var forged = await PostWithPageTokenAsync(office, page, "ForgetDevice", new() { ["device"] = strangerDevice.ToString() });
        Assert.Contains("Ce navigateur n'était déjà plus reconnu.", forged.Text);
        Assert.Null(await app.DbAsync(db => db.TrustedDevices.Where(d => d.Id == strangerDevice).Select(d => d.RevokedAt).SingleAsync()));

        var forgotten = await PostWithPageTokenAsync(office, await office.GetAsync(Path), "ForgetDevice", new() { ["device"] = phoneDevice.ToString() });
        Assert.Contains("n'est plus reconnu pour votre espace", forgotten.Text);
        Assert.NotNull(await app.DbAsync(db => db.TrustedDevices.Where(d => d.Id == phoneDevice).Select(d => d.RevokedAt).SingleAsync()));
        Assert.Equal(["Firefox sous Windows"], Rows(forgotten, "titre-appareils").Select(r => r[0].Replace("Ce navigateur", "", StringComparison.Ordinal).Trim()));
        Assert.Contains(JournalRows(forgotten), r => r.Any(c => c.Contains("Oublier cet appareil", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_current_session_cannot_be_closed_from_the_page()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);
        var current = await SessionIdOfAsync(app, "Firefox sous Windows");

        var page = await lila.GetAsync(Path);
        Assert.Empty(page.Document.QuerySelectorAll("form.session-close"));
        await PostWithPageTokenAsync(lila, page, "Close", new() { ["session"] = current.ToString() });

        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(lila));
    }

    [Fact]
    public async Task Closing_needs_the_pages_anti_forgery_token()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        using var phone = Browser(app, ChromeAndroid);
        await lila.LoginAsync(Users.Lila);
        await phone.LoginAsync(Users.Lila);

        var forged = await lila.Client.PostAsync(Path + "?handler=CloseOthers", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(phone));
    }

    [Fact]
    public async Task The_journal_is_paged_by_twenty_from_the_newest()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);
        for (var i = 0; i < 24; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(2));
            await lila.GetAsync("/gerer-mon-espace/recapitulatif");
        }

        var first = await lila.GetAsync(Path);
        Assert.Equal(20, JournalRows(first).Count);
        Assert.Equal("le 23/02/2026 à 15h40", JournalRows(first)[0][0]);
        var older = first.Document.QuerySelectorAll(".fr-pagination a").Single(a => a.TextContent == "Activité plus ancienne").GetAttribute("href")!;
        var second = await lila.GetAsync(older);
        var rows = JournalRows(second);
        Assert.Equal(5, rows.Count);
        Assert.Equal(["le 23/02/2026 à 14h52", "Connexion à votre espace", "Firefox sous Windows", ""], rows[^1]);
        Assert.Equal("/gerer-mon-espace/activite#titre-journal",
            second.Document.QuerySelectorAll(".fr-pagination a").Single(a => a.TextContent == "Activité la plus récente").GetAttribute("href"));
        Assert.Null(second.Document.QuerySelectorAll(".fr-pagination a").Single(a => a.TextContent == "Activité plus ancienne").GetAttribute("href"));
    }

    [Fact]
    public async Task Events_older_than_twelve_months_are_not_shown()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);
        await lila.GetAsync("/gerer-mon-espace/recapitulatif");
        app.Time.Advance(TimeSpan.FromDays(366));
        await lila.LoginAsync(Users.Lila);

        var rows = JournalRows(await lila.GetAsync(Path));

        Assert.Equal(["Connexion à votre espace"], rows.Select(r => r[1]));
    }

    [Fact]
    public async Task A_malformed_page_cursor_is_a_bad_request()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);

        Assert.Equal(HttpStatusCode.BadRequest, (await lila.Client.GetAsync(Path + "?avant=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await lila.Client.GetAsync(Path + "?avant=-1-2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await lila.Client.GetAsync(Path + "?avant=99999999999999999999-1")).StatusCode);
    }

    [Fact]
    public async Task The_page_needs_a_signed_in_space()
    {
        await using var app = new TestApp();
        using var anonymous = app.NewUser();

        var response = await anonymous.Client.GetAsync(Path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Gerer_mon_espace_and_every_security_notice_lead_to_the_page()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);

        var manage = await lila.GetAsync("/gerer-mon-espace");
        Assert.Contains(manage.Document.QuerySelectorAll("a"), a => a.GetAttribute("href") == Path);

        await lila.SubmitIdentifiersAsync(await lila.OpenAsync(), newPassword: Identifiers.NewPassword, question: "livre", answer: "Le Petit Prince");
        await app.RequestEmailChangeAsync(lila, NewEmail);
        var notices = app.Mail.Delivered.Where(m => m.To == Users.Lila.Email).ToList();
        Assert.Equal(3, notices.Count);
        Assert.All(notices, m => Assert.Contains(new Uri("https://espacepro.test" + Path), m.Links()));
        Assert.All(notices, m => Assert.Contains("consultez « Activité de mon espace »", m.TextBody));
        // The activation code, sent to the new address, is no notice.
        Assert.DoesNotContain(Path, app.Mail.Delivered.Single(m => m.To == NewEmail).TextBody);
    }

    [Fact]
    public async Task I_do_not_recognise_this_activity_opens_the_password_change()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);

        var page = await lila.GetAsync(Path);
        var link = page.Document.QuerySelector("#activite-inconnue a")!;
        Assert.Equal("Modifier mon mot de passe", link.TextContent.Trim());
        var form = await lila.GetAsync(link.GetAttribute("href")!);

        Assert.Equal("/gerer-mon-espace/identifiants", form.Url.AbsolutePath);
        Assert.NotNull(form.Document.QuerySelector("#input-changepassword[checked]"));
        Assert.Null(form.Document.QuerySelector("#input-changeemail[checked]"));
    }

    [Fact]
    public async Task After_confirming_the_password_the_form_still_opens_on_the_password()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);
        app.Time.Advance(TimeSpan.FromMinutes(20));

        var confirm = await lila.GetAsync("/gerer-mon-espace/identifiants?modifier=mot-de-passe");
        var form = await lila.SubmitAsync(confirm, "#form-confirmation", new Dictionary<string, string?> { ["Reauth.CurrentPassword"] = Users.Lila.Password });

        Assert.NotNull(form.Document.QuerySelector("#input-changepassword[checked]"));
    }

    [Fact]
    public async Task A_flood_of_refused_attempts_costs_a_page_no_more_than_its_bounded_read()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);
        var accountId = await app.DbAsync(db => db.Sessions.Select(s => s.AccountId).SingleAsync());
        var at = app.Time.GetUtcNow();
        await app.DbAsync(async db =>
        {
            for (var i = 1; i <= Journal.ReadLimit * 2; i++)
            {
                db.AuditEvents.Add(new AuditEvent { AccountId = accountId, Type = "login.throttled", At = at.AddSeconds(i), ClientAddress = "203.0.113." + (i % 7) });
            }
            await db.SaveChangesAsync();
        });

        var first = JournalRows(await lila.GetAsync(Path));

        // One line for the day, counting what one bounded read saw; the rest follows on the next page.
        Assert.Equal(["le 23/02/2026", $"{Journal.ReadLimit} tentatives refusées (mot de passe incorrect ou trop de tentatives)", "", "203.0.113.x"], Assert.Single(first));
    }

    [Fact]
    public async Task Thousands_of_sessions_list_the_most_recent_and_all_close_at_once()
    {
        await using var app = new TestApp();
        using var lila = Browser(app, Firefox);
        await lila.LoginAsync(Users.Lila);
        var accountId = await app.DbAsync(db => db.Sessions.Select(s => s.AccountId).SingleAsync());
        var now = app.Time.GetUtcNow();
        await app.DbAsync(async db =>
        {
            for (var i = 0; i < 1000; i++)
            {
                db.Sessions.Add(new AccountSession { Id = Guid.NewGuid(), AccountId = accountId, CreatedAt = now, AuthenticatedAt = now, LastSeenAt = now, Device = "Opera sous Windows" });
            }
            await db.SaveChangesAsync();
        });

        var page = await lila.GetAsync(Path);

        Assert.Equal(IndexModel.SessionsShown, SessionRows(page).Count);
        Assert.Equal("Firefox sous Windows Cette session", SessionRows(page)[0][0]);
        Assert.Contains($"Seules les {IndexModel.SessionsShown} sessions les plus récentes sont affichées", page.Text);
        var after = await lila.SubmitAsync(page, "#form-fermer-autres", new Dictionary<string, string?>());
        Assert.Single(SessionRows(after));
        Assert.Equal(1, await app.DbAsync(db => db.Sessions.CountAsync(s => s.RevokedAt == null)));
    }
}
