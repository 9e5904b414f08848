using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using EspacePro.Web.Pages.Activation;
using PendingPage = EspacePro.Web.Pages.GererMonEspace.ModificationEnAttente.IndexModel;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.GererMonEspace;

/// <summary>
/// A change of login e-mail waiting for its code, from inside the space: shown with its lapse
/// date, « Je n'ai pas reçu mon code » (a new code voids the old; 3 codes a day with the
/// request's), « Annuler la modification » (the current password after 15 minutes).
/// </summary>
public sealed class PendingEmailChangeTests
{
    private const string NewEmail = "lila.rosemonde1@espacepro.test";

    private static async Task<Page> ResendAsync(UserAgent user) =>
        await user.SubmitAsync(await user.GetAsync("/"), "#form-renvoi-code", new Dictionary<string, string?>());

    private static async Task<Page> ActivateAsync(TestApp app, string code)
    {
        using var browser = app.NewUser();
        var step2 = await browser.SubmitAsync(await browser.GetAsync("/activation"), "#form-code", new Dictionary<string, string?> { ["Code"] = code });
        return await browser.SubmitAsync(step2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = NewEmail });
    }

    [Fact]
    public async Task Home_and_gerer_mon_espace_show_the_pending_change_masked_with_its_lapse_date()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        Assert.Null((await user.GetAsync("/")).Document.GetElementById("modification-en-attente"));

        await app.RequestEmailChangeAsync(user, NewEmail);

        foreach (var url in new[] { "/", "/gerer-mon-espace" })
        {
            var page = await user.GetAsync(url);
            var banner = page.Document.GetElementById("modification-en-attente");
            Assert.NotNull(banner);
            // Requested at 14h52 Paris time on 23 February; 48 hours to activate.
            Assert.Contains("Modification de l'adresse électronique en attente d'activation : li•••@espacepro.test", banner.TextContent);
            Assert.Contains("avant le 25/02/2026 à 14h52", banner.TextContent);
            Assert.DoesNotContain(NewEmail, page.Text);
            Assert.NotNull(banner.QuerySelector("a[href='/activation']"));
            Assert.NotNull(banner.QuerySelector("#form-renvoi-code"));
            Assert.NotNull(banner.QuerySelector("#form-annuler-modification"));
        }

        app.Time.Advance(TimeSpan.FromHours(48));
        Assert.Null((await user.GetAsync("/")).Document.GetElementById("modification-en-attente"));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task I_did_not_receive_my_code_sends_a_new_code_that_voids_the_old_one(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var first = await app.RequestEmailChangeAsync(user, NewEmail);

        var after = await ResendAsync(user);
        Assert.Contains(PendingPage.ResentMessage, after.Text);
        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(NewEmail, mail.To);
        var second = Identifiers.ActivationCodeIn(mail.TextBody);
        Assert.NotEqual(first, second);
        Assert.Equal(1, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == EmailChangeRequests.CodeResent)));

        Assert.Equal([IdentifiantsModel.MismatchMessage], (await ActivateAsync(app, first)).SummaryErrors);
        Assert.Equal("/activation/recapitulatif", (await ActivateAsync(app, second)).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Three_codes_a_day_counting_the_request_even_when_resends_race(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        await app.RequestEmailChangeAsync(user, NewEmail);
        var home = await user.GetAsync("/");

        // Eight « Je n'ai pas reçu mon code » at once from the same page: two more codes at most.
        var pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            user.SubmitAsync(home, "#form-renvoi-code", new Dictionary<string, string?>())));
        var codes = (await app.DeliverMailAsync()).Where(m => m.To == NewEmail).ToList();
        Assert.InRange(codes.Count, 1, EmailChangeRequests.CodesPerDay - 1);

        // Sequentially up to the day's three, then refused with a message and audited.
        for (var sent = codes.Count; sent < EmailChangeRequests.CodesPerDay - 1; sent++)
        {
            await ResendAsync(user);
        }
        var refused = await ResendAsync(user);
        Assert.Equal([PendingPage.QuotaMessage], refused.SummaryErrors);
        Assert.Equal(EmailChangeRequests.CodesPerDay - 1, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == EmailChangeRequests.CodeResent)));
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "email-change.resend-refused")));

        // A day later the window has moved on.
        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await user.LoginAsync(Users.Lila);
        Assert.Contains(PendingPage.ResentMessage, (await ResendAsync(user)).Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Annuler_la_modification_voids_it_and_asks_the_password_when_the_login_is_old(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var code = await app.RequestEmailChangeAsync(user, NewEmail);
        app.Time.Advance(TimeSpan.FromMinutes(16));

        var ask = await user.SubmitAsync(await user.GetAsync("/"), "#form-annuler-modification", new Dictionary<string, string?>());
        Assert.Equal("/gerer-mon-espace/modification-en-attente", ask.Url.AbsolutePath);
        Assert.NotNull(ask.Document.QuerySelector("#form-annulation #mot-de-passe-actuel"));
        var wrong = await user.SubmitAsync(ask, "#form-annulation", new Dictionary<string, string?> { ["CurrentPassword"] = "Pas-le-bon-mot-de-passe-du-tout" });
        Assert.Equal(["Le mot de passe saisi n'est pas votre mot de passe actuel."], wrong.FieldErrors("mot-de-passe-actuel"));
        Assert.Null(await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.VoidReason).SingleAsync()));

        var done = await user.SubmitAsync(wrong, "#form-annulation", new Dictionary<string, string?> { ["CurrentPassword"] = Users.Lila.Password });
        Assert.Equal("/gerer-mon-espace", done.Url.AbsolutePath);
        Assert.Contains(PendingPage.CancelledMessage, done.Text);
        Assert.Null(done.Document.GetElementById("modification-en-attente"));
        Assert.Equal("cancelled", await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.VoidReason).SingleAsync()));
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "email-change.cancelled")));
        Assert.Equal([IdentifiantsModel.StaleMessage], (await ActivateAsync(app, code)).SummaryErrors);
    }

    [Fact]
    public async Task A_recent_login_cancels_at_once()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        await app.RequestEmailChangeAsync(user, NewEmail);
        Assert.NotNull((await user.GetAsync("/")).Document.GetElementById("modification-en-attente"));

        var done = await user.SubmitAsync(await user.GetAsync("/gerer-mon-espace"), "#form-annuler-modification", new Dictionary<string, string?>());

        Assert.Equal("/gerer-mon-espace", done.Url.AbsolutePath);
        Assert.Contains(PendingPage.CancelledMessage, done.Text);
        Assert.Equal("cancelled", await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.VoidReason).SingleAsync()));
        // The home page, read a moment before (and kept by this node for a few seconds), no longer shows it.
        Assert.Null((await user.GetAsync("/")).Document.GetElementById("modification-en-attente"));
    }

    [Fact]
    public async Task The_home_page_banner_follows_a_resend_and_a_code_voided_by_wrong_tries_at_once()
    {
        // The home page keeps what it read of the change for a few seconds on each node (the
        // session check's delay); a change made on this node shows at the next view, the clock
        // standing still.
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var code = await app.RequestEmailChangeAsync(user, NewEmail);
        Assert.Contains("avant le 25/02/2026 à 14h52", (await user.GetAsync("/")).Document.GetElementById("modification-en-attente")!.TextContent);

        app.Time.Advance(TimeSpan.FromMinutes(10));
        await ResendAsync(user);
        code = Identifiers.ActivationCodeIn(Assert.Single(await app.DeliverMailAsync()).TextBody);
        Assert.Contains("avant le 25/02/2026 à 15h02", (await user.GetAsync("/")).Document.GetElementById("modification-en-attente")!.TextContent);

        for (var i = 0; i < 5; i++)
        {
            using var stranger = app.NewUser();
            var step2 = await stranger.SubmitAsync(await stranger.GetAsync("/activation"), "#form-code", new Dictionary<string, string?> { ["Code"] = code });
            await stranger.SubmitAsync(step2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = "quelqu.un@espacepro.test" });
        }
        Assert.Equal("attempts", await app.DbAsync(db => db.PendingEmailChanges.Where(p => p.VoidedAt != null).Select(p => p.VoidReason).SingleAsync()));
        Assert.Null((await user.GetAsync("/")).Document.GetElementById("modification-en-attente"));
    }
}
