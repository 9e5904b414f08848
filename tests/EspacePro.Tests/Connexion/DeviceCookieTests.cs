using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using EspacePro.Web.Pages.Connexion;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Connexion;

/// <summary>
/// A browser where the space was opened keeps a device cookie: an attacker's failures block the
/// account and the address for everyone else, never for that browser.
/// </summary>
public sealed class DeviceCookieTests
{
    private const string Wrong = "Pas-le-bon-mot-de-passe-du-tout";
    private const string DeviceCookie = "__Host-EspacePro.Device";
    private static readonly Uri Site = new("https://localhost/");

    /// <summary>Logs in and out once, so that the browser holds the space's device cookie.</summary>
    private static async Task OpenOnceAsync(UserAgent browser, EspacePro.Web.Demo.DemoData.DemoAccount space)
    {
        Assert.Equal("/", (await browser.LoginAsync(space)).Url.AbsolutePath);
        await browser.SubmitAsync(await browser.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());
    }

    /// <summary>
    /// From the same address as everyone (the test server has one), enough failures to block
    /// <paramref name="email"/> and the address itself: the shared-NAT case.
    /// </summary>
    private static async Task BlockAccountAndAddressAsync(TestApp app, string email)
    {
        using var attacker = app.NewUser();
        for (var i = 0; i < LoginThrottler.AccountAllowance + 1; i++)
        {
            await attacker.LoginAsync(email, Wrong);
        }
        for (var i = 0; i < LoginThrottler.AddressAllowance; i++)
        {
            await attacker.LoginAsync($"essai{i}@espacepro.test", Wrong);
        }
        Assert.True(await app.DbAsync(db => db.LoginThrottles.AnyAsync(t => t.Key.StartsWith("ip:") && t.BlockedUntil != null)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_attackers_failures_from_the_victims_address_do_not_keep_out_the_victims_browser(string provider)
    {
        await using var app = new TestApp(provider);
        using var victim = app.NewUser();
        await OpenOnceAsync(victim, Users.Lila);

        await BlockAccountAndAddressAsync(app, Users.Lila.Email);

        // A browser the space does not know is refused, even with the right password...
        using var stranger = app.NewUser();
        Assert.Equal([IndexModel.FailureMessage], (await stranger.LoginAsync(Users.Lila)).SummaryErrors);
        // ...the victim's own browser is not.
        Assert.Equal("/", (await victim.LoginAsync(Users.Lila)).Url.AbsolutePath);
        Assert.True(await app.DbAsync(db => db.TrustedDevices.AnyAsync(d => d.LastUsedAt == app.Time.GetUtcNow())));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_device_cookie_only_exempts_its_own_browser_from_its_own_failures(string provider)
    {
        await using var app = new TestApp(provider);
        using var victim = app.NewUser();
        await OpenOnceAsync(victim, Users.Lila);

        for (var i = 0; i < LoginThrottler.DeviceAllowance; i++)
        {
            await victim.LoginAsync(Users.Lila.Email, Wrong);
        }

        Assert.Equal([IndexModel.FailureMessage], (await victim.LoginAsync(Users.Lila)).SummaryErrors);
        // The device's failures are its own: the account is not blocked for other browsers.
        using var other = app.NewUser();
        Assert.Equal("/", (await other.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_forgotten_or_forged_device_cookie_gives_no_exemption(string provider)
    {
        await using var app = new TestApp(provider);
        var jar = new CookieContainer();
        using var victim = app.NewUser(jar);
        Assert.Equal("/", (await victim.LoginAsync(Users.Lila)).Url.AbsolutePath);
        var issued = jar.GetCookies(Site)[DeviceCookie]!.Value;

        // « Oublier cet appareil » revokes the device on the server...
        var manage = await victim.GetAsync("/gerer-mon-espace");
        var forgotten = await victim.SubmitAsync(manage, "#form-oublier-appareil", new Dictionary<string, string?>());
        Assert.Contains("Ce navigateur n'est plus reconnu pour votre espace", forgotten.Text);
        Assert.Null(forgotten.Document.QuerySelector("#form-oublier-appareil"));
        await victim.SubmitAsync(await victim.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());
        await BlockAccountAndAddressAsync(app, Users.Lila.Email);

        // ...so the cookie kept and sent again is worth nothing.
        jar.Add(new Cookie(DeviceCookie, issued, "/", "localhost") { Secure = true });
        Assert.Equal([IndexModel.FailureMessage], (await victim.LoginAsync(Users.Lila)).SummaryErrors);

        // Nor is a cookie the server did not sign.
        var forgedJar = new CookieContainer();
        forgedJar.Add(new Cookie(DeviceCookie, issued[..^4] + (issued[^4] == 'A' ? "B" : "A") + issued[^3..], "/", "localhost") { Secure = true });
        using var forger = app.NewUser(forgedJar);
        Assert.Equal([IndexModel.FailureMessage], (await forger.LoginAsync(Users.Lila)).SummaryErrors);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_password_change_revokes_every_device_of_the_space(string provider)
    {
        await using var app = new TestApp(provider);
        var jar = new CookieContainer();
        using var victim = app.NewUser(jar);
        Assert.Equal("/", (await victim.LoginAsync(Users.Lila)).Url.AbsolutePath);
        var issued = jar.GetCookies(Site)[DeviceCookie]!.Value;
        const string newPassword = Identifiers.NewPassword;
        var saved = await victim.SubmitIdentifiersAsync(await victim.OpenAsync(), newPassword: newPassword);
        Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
        await victim.SubmitAsync(await victim.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());

        await BlockAccountAndAddressAsync(app, Users.Lila.Email);

        jar.Add(new Cookie(DeviceCookie, issued, "/", "localhost") { Secure = true });
        Assert.Equal([IndexModel.FailureMessage], (await victim.LoginAsync(Users.Lila.Email, newPassword)).SummaryErrors);
        Assert.All(await app.DbAsync(db => db.TrustedDevices.ToListAsync()), d => Assert.NotNull(d.RevokedAt));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_device_cookie_of_one_space_gives_no_exemption_for_another(string provider)
    {
        await using var app = new TestApp(provider);
        using var browser = app.NewUser();
        await OpenOnceAsync(browser, Users.Lila);

        await BlockAccountAndAddressAsync(app, Users.NoService.Email);

        Assert.Equal([IndexModel.FailureMessage], (await browser.LoginAsync(Users.NoService)).SummaryErrors);
        Assert.Equal("/", (await browser.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [Fact]
    public async Task The_device_cookie_is_host_only_secure_http_only_and_strict()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var form = await user.GetAsync("/connexion");
        var home = await user.SubmitAsync(form, "#form-connexion",
            new Dictionary<string, string?> { ["Input.Email"] = Users.Lila.Email, ["Input.Password"] = Users.Lila.Password }, follow: false);

        var cookie = home.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DeviceCookie + "=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=15552000", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        var device = await app.DbAsync(db => db.TrustedDevices.SingleAsync());
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromDays(180), device.ExpiresAt);
        Assert.DoesNotContain(device.Id.ToString("N"), cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(device.Id.ToString(), cookie, StringComparison.OrdinalIgnoreCase);
    }
}
