using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Security;

public sealed class RateLimitTests
{
    private const string ClientHeader = "X-Test-Client-Address";

    /// <summary>
    /// The attack: one client hammers the pages anyone may call (each renders a captcha, writes
    /// a row, may queue a mail). Past its allowance it gets 429 with the French page; a client
    /// at another address is served as usual.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_client_over_its_allowance_gets_429_and_another_address_is_served(string provider)
    {
        await using var app = new TestApp(provider, new Dictionary<string, string?>
        {
            ["RateLimit:Enabled"] = "true",
            ["RateLimit:Burst"] = "4",
            ["RateLimit:PerMinute"] = "1",
        });
        await using var factory = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>()));
        using var attacker = ClientAt(factory, "203.0.113.7");
        using var other = ClientAt(factory, "198.51.100.20");

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/mot-de-passe-oublie", "/creation", "/connexion", "/activation", "/mot-de-passe-oublie", "/creation" })
        {
            statuses.Add((await attacker.GetAsync(path, TestContext.Current.CancellationToken)).StatusCode);
        }
        var refused = await attacker.GetAsync("/captcha/inconnu/image", TestContext.Current.CancellationToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var wait = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var page = await UserAgent.ReadAsync(refused);
        Assert.Equal("Trop de demandes", page.Document.QuerySelector("h1")?.TextContent);
        Assert.Contains("Réessayez dans quelques minutes.", page.Text);

        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/mot-de-passe-oublie", TestContext.Current.CancellationToken)).StatusCode);
        // Pages behind login are not counted against anonymous callers.
        Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync("/aide", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Off_by_setting_the_limit_never_refuses()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["RateLimit:Burst"] = "1" });
        using var user = app.NewUser();
        var client = user.Client;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/connexion", TestContext.Current.CancellationToken)).StatusCode);
        }
    }

    private static HttpClient ClientAt(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string address)
    {
        var client = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }

    /// <summary>The in-memory test server has no client address; this gives each test client one.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
