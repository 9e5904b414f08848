using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Connexion;

public sealed class SessionTests
{
    private static async Task<string> AuthCookieAsync(UserAgent user)
    {
        // The client's cookie jar holds the auth cookie; read it back for a replay.
        var response = await user.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.RequestMessage!.Headers.GetValues("Cookie").Single();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Logout_ends_the_session_server_side_so_a_replayed_cookie_is_refused(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var cookie = await AuthCookieAsync(user);

        var home = await user.GetAsync("/");
        var loggedOut = await user.SubmitAsync(home, "form.logout-form", new Dictionary<string, string?>());
        Assert.Contains("Vous êtes déconnecté", loggedOut.Text);

        using var replay = new HttpRequestMessage(HttpMethod.Get, "/");
        replay.Headers.Add("Cookie", cookie);
        using var raw = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        var response = await raw.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_logout_posted_without_the_forms_token_is_refused_and_the_session_stays_open()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        // What another site could make a browser send: the cookies, but not the page's token.
        var forged = await user.Client.PostAsync("/deconnexion", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/")).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.Sessions.CountAsync(s => s.RevokedAt != null)));
    }

    [Fact]
    public async Task Logout_is_post_only()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        await user.GetAsync("/deconnexion");

        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_session_idle_for_thirty_minutes_is_closed()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/")).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/")).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Redirect, (await user.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_session_ends_after_twelve_hours_even_when_active()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(20))
        {
            app.Time.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/")).StatusCode);
        }
        app.Time.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(HttpStatusCode.Redirect, (await user.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Revoking_the_sessions_of_a_space_logs_out_every_browser()
    {
        await using var app = new TestApp();
        using var first = app.NewUser();
        using var second = app.NewUser();
        await first.LoginAsync(Users.Lila);
        await second.LoginAsync(Users.Lila);

        // Closed by another node: this node's check cache (Security:SessionCheckCache, 5 s) bounds the delay.
        await app.DbAsync(db => db.Sessions.ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, app.Time.GetUtcNow())));
        app.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Redirect, (await first.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_session_closed_on_this_node_is_refused_at_once_despite_the_check_cache()
    {
        await using var app = new TestApp();
        using var first = app.NewUser();
        using var second = app.NewUser();
        await first.LoginAsync(Users.Lila);
        await second.LoginAsync(Users.Lila);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/")).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
            var email = Users.Lila.Email.ToUpperInvariant();
            var id = await db.Users.Where(a => a.NormalizedEmail == email).Select(a => a.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<AccountSessions>().RevokeAllAsync(id);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await first.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_check_cached_while_the_sessions_are_being_closed_does_not_keep_a_session_alive(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var cache = app.Services.GetRequiredService<SessionCheckCache>();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
            var email = Users.Lila.Email.ToUpperInvariant();
            var space = await db.Users.AsNoTracking().SingleAsync(a => a.NormalizedEmail == email);
            var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.AccountId == space.Id);
            await using var transaction = await db.Database.BeginRequestTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<AccountSessions>().RevokeAllAsync(space.Id);
            // A request of that session checked on this node before the commit reads the row
            // still open (on PostgreSQL it does not wait for the writer) and caches it; SQLite
            // tests share one in-memory database that would lock it, so the entry is put as
            // that request would put it.
            cache.Set(session.Id, new SessionCheckCache.Entry(space.Id, space.SecurityStamp, session.CreatedAt,
                session.LastSeenAt, null, space.PasswordValidUntil, app.Time.GetUtcNow()));
            await transaction.CommitAsync();
        }

        // Within the cache's lifetime, yet refused: the commit forgot what was cached meanwhile.
        Assert.Equal(HttpStatusCode.Redirect, (await user.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Login_issues_a_new_session_each_time()
    {
        await using var app = new TestApp();
        using var first = app.NewUser();
        using var second = app.NewUser();
        await first.LoginAsync(Users.Lila);
        await second.LoginAsync(Users.Lila);

        Assert.Equal(2, await app.DbAsync(db => db.Sessions.CountAsync()));
        Assert.Equal(2, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "login.succeeded")));
    }
}
