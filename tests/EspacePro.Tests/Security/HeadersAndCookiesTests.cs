using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Security;

public sealed class HeadersAndCookiesTests
{
    [Fact]
    public async Task Every_page_carries_the_security_headers()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var response = await user.Client.GetAsync("/connexion");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Contains("base-uri 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var hsts = response.Headers.GetValues("Strict-Transport-Security").Single();
        Assert.Contains("max-age=31536000", hsts);
    }

    [Fact]
    public async Task The_auth_cookie_is_host_prefixed_secure_http_only_and_lax()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");

        var response = await user.SubmitAsync(page, "#form-connexion", new Dictionary<string, string?>
        {
            ["Input.Email"] = Users.Lila.Email,
            ["Input.Password"] = Users.Lila.Password,
        }, follow: false);

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        var auth = response.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-EspacePro=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", auth, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", auth, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_one_time_message_travels_in_a_host_prefixed_cookie_and_pages_without_one_set_no_cookie()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        // The home page can show a message; with none to show it leaves the cookies alone.
        var home = await user.GetAsync("/", follow: false);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.False(home.Response.Headers.Contains("Set-Cookie"));

        var form = await user.GetAsync("/gerer-mon-espace/coordonnees");
        var saved = await user.SubmitAsync(form, "#form-coordonnees", new Dictionary<string, string?>
        {
            ["Input.Phone"] = "+33 6 12 34 56 78",
            ["Input.AddressLine"] = "12 boulevard Haussmann",
            ["Input.PostalCode"] = "75009",
            ["Input.City"] = "Paris",
        }, follow: false);
        var message = saved.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-EspacePro.Msg=", StringComparison.Ordinal));
        Assert.Contains("secure", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Haussmann", message, StringComparison.Ordinal);

        // Shown once, then the cookie is removed.
        var shown = await user.FollowAsync(saved.Response);
        Assert.Contains("Vos coordonnées ont été enregistrées.", shown.Text);
        var removal = shown.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-EspacePro.Msg=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", removal, StringComparison.OrdinalIgnoreCase);
        var again = await user.GetAsync("/gerer-mon-espace", follow: false);
        Assert.DoesNotContain("Vos coordonnées ont été enregistrées.", again.Text);
        Assert.False(again.Response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Cookies_and_tokens_are_protected_with_keys_that_encrypt_with_aes_256_gcm()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var keys = await app.DbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());

        var key = Assert.Single(keys);
        Assert.Contains("<encryption algorithm=\"AES_256_GCM\" />", key);
        // The session the key protects works: the home page answers, logged in.
        var home = await user.GetAsync("/", follow: false);
        Assert.Equal(HttpStatusCode.OK, home.Status);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_login()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Every_page_says_it_is_a_demonstration_unless_turned_off()
    {
        await using (var app = new TestApp())
        {
            using var user = app.NewUser();
            Assert.Contains("Démonstration, service non officiel.", (await user.GetAsync("/connexion")).Text);
        }
        await using (var app = new TestApp(settings: new Dictionary<string, string?> { ["Ui:DemoBanner"] = "false" }))
        {
            using var user = app.NewUser();
            Assert.DoesNotContain("Démonstration, service non officiel.", (await user.GetAsync("/connexion")).Text);
        }
    }

    [Fact]
    public async Task A_bad_setting_stops_the_app_with_a_message_naming_the_key()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Password:MinimumLength"] = "3" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Password:MinimumLength", error.ToString());
    }
}
