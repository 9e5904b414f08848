using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using EspacePro.Web.Pages.Connexion;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Security;

/// <summary>
/// The client address and scheme behind a balancer: forwarded headers are read from the
/// configured proxies and ignored from everyone else.
/// </summary>
public sealed class ProxyTrustTests
{
    private const string Wrong = "Pas-le-bon-mot-de-passe-du-tout";
    private static readonly IPAddress Balancer = IPAddress.Parse("10.0.0.5");
    private static readonly IPAddress Outsider = IPAddress.Parse("203.0.113.9");
    private const string ClientA = "198.51.100.7";
    private const string ClientB = "198.51.100.8";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Behind_a_trusted_balancer_the_client_s_address_is_audited_and_throttled_and_the_scheme_is_https(string provider)
    {
        await using var app = new TestApp(provider, new Dictionary<string, string?> { ["App:KnownProxies"] = "10.0.0.5" });
        using var user = app.NewUserFrom(() => Balancer, terminatedTls: true);
        Forward(user, ClientA, "https");

        var page = await user.GetAsync("/connexion");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("max-age=31536000", page.Response.Headers.GetValues("Strict-Transport-Security").Single());

        // The forms work: the strict cookies need https, which the balancer vouches for.
        var failed = await user.LoginAsync(Users.Lila.Email, Wrong);
        Assert.Equal([IndexModel.FailureMessage], failed.SummaryErrors);
        var audited = await app.DbAsync(db => db.AuditEvents.Where(e => e.Type == "login.failed").Select(e => e.ClientAddress).SingleAsync());
        Assert.Equal(ClientA, audited);
        Assert.True(await app.DbAsync(db => db.LoginThrottles.AnyAsync(t => t.Key == LoginThrottler.AddressKey(ClientA))));
        Assert.False(await app.DbAsync(db => db.LoginThrottles.AnyAsync(t => t.Key == LoginThrottler.AddressKey("10.0.0.5"))));

        var home = await user.LoginAsync(Users.Lila);
        Assert.Equal("/", home.Url.AbsolutePath);
    }

    [Fact]
    public async Task One_client_s_failures_behind_the_balancer_do_not_block_the_others()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["App:KnownNetworks"] = "10.0.0.0/24" });
        using var attacker = app.NewUserFrom(() => Balancer, terminatedTls: true);
        Forward(attacker, ClientA, "https");
        for (var i = 0; i < LoginThrottler.AddressAllowance; i++)
        {
            await attacker.LoginAsync($"essai{i}@espacepro.test", Wrong);
        }
        Assert.Equal([IndexModel.FailureMessage], (await attacker.LoginAsync(Users.NoService)).SummaryErrors);

        using var other = app.NewUserFrom(() => Balancer, terminatedTls: true);
        Forward(other, ClientB, "https");
        var home = await other.LoginAsync(Users.NoService);
        Assert.Equal("/", home.Url.AbsolutePath);
    }

    /// <summary>
    /// The attack: a sender that is no proxy writes a new X-Forwarded-For on every try. With
    /// ASPNETCORE_FORWARDEDHEADERS_ENABLED (the usual workaround) the old set-up believed it, and
    /// the failures were spread over made-up addresses that were never blocked.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sender_that_is_no_proxy_is_throttled_on_its_own_address_whatever_it_forwards(bool forwardedHeadersEnabled)
    {
        var settings = new Dictionary<string, string?> { ["App:KnownProxies"] = "10.0.0.5" };
        if (forwardedHeadersEnabled)
        {
            // What ASPNETCORE_FORWARDEDHEADERS_ENABLED=true sets in the host's configuration.
            settings["FORWARDEDHEADERS_ENABLED"] = "true";
        }
        await using var app = new TestApp(settings: settings);
        using var attacker = app.NewUserFrom(() => Outsider);
        for (var i = 0; i < LoginThrottler.AddressAllowance; i++)
        {
            Forward(attacker, $"192.0.2.{i + 1}", "https");
            await attacker.LoginAsync($"essai{i}@espacepro.test", Wrong);
        }

        Forward(attacker, "192.0.2.200", "https");
        var blocked = await attacker.LoginAsync(Users.NoService);
        Assert.Equal([IndexModel.FailureMessage], blocked.SummaryErrors);
        var addresses = await app.DbAsync(db => db.AuditEvents.Where(e => e.Type.StartsWith("login.")).Select(e => e.ClientAddress).Distinct().ToListAsync());
        Assert.Equal(["203.0.113.9"], addresses);
    }

    /// <summary>
    /// With two trusted hops (balancer, then a proxy in front of each node) the client is the
    /// second entry from the right; whatever the client wrote to the left of it is ignored, so
    /// rotating it does not spread the failures.
    /// </summary>
    [Fact]
    public async Task Only_the_last_hops_up_to_the_forward_limit_are_read()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["App:KnownNetworks"] = "10.0.0.0/8",
            ["App:ForwardLimit"] = "2",
            ["FORWARDEDHEADERS_ENABLED"] = "true",
        });
        using var attacker = app.NewUserFrom(() => Balancer, terminatedTls: true);
        for (var i = 0; i < LoginThrottler.AddressAllowance; i++)
        {
            Forward(attacker, $"192.0.2.{i + 1}, {ClientA}, 10.0.0.6", "https");
            await attacker.LoginAsync($"essai{i}@espacepro.test", Wrong);
        }

        Forward(attacker, $"192.0.2.200, {ClientA}, 10.0.0.6", "https");
        var blocked = await attacker.LoginAsync(Users.NoService);
        Assert.Equal([IndexModel.FailureMessage], blocked.SummaryErrors);
        var addresses = await app.DbAsync(db => db.AuditEvents.Where(e => e.Type.StartsWith("login.")).Select(e => e.ClientAddress).Distinct().ToListAsync());
        Assert.Equal([ClientA], addresses);
    }

    [Theory]
    [InlineData(false, "127.0.0.1")]
    [InlineData(true, ClientA)]
    public async Task Loopback_is_trusted_only_with_BehindProxy(bool behindProxy, string audited)
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["App:BehindProxy"] = behindProxy ? "true" : "false" });
        using var user = app.NewUserFrom(() => IPAddress.Loopback);
        Forward(user, ClientA, "https");

        await user.LoginAsync(Users.Lila.Email, Wrong);

        Assert.Equal(audited, await app.DbAsync(db => db.AuditEvents.Where(e => e.Type == "login.failed").Select(e => e.ClientAddress).SingleAsync()));
    }

    [Theory]
    [InlineData("App:KnownProxies", "10.0.0.300")]
    [InlineData("App:KnownProxies", "10.0.0.0/8")]
    [InlineData("App:KnownNetworks", "10.0.0.5/8")]
    [InlineData("App:KnownNetworks", "réseau")]
    [InlineData("App:ForwardLimit", "0")]
    public async Task A_bad_proxy_setting_stops_the_application_naming_the_key(string key, string value)
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private static void Forward(UserAgent user, string forwardedFor, string proto)
    {
        var headers = user.Client.DefaultRequestHeaders;
        headers.Remove("X-Forwarded-For");
        headers.Remove("X-Forwarded-Proto");
        headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        headers.TryAddWithoutValidation("X-Forwarded-Proto", proto);
    }
}
