using System.Net;
using EspacePro.Tests.Infrastructure;

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
