using System.Net;
using System.Text.RegularExpressions;
using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Annulation;

public sealed partial class CancelClosesSessionsTests
{
    /// <summary>
    /// The attack: a hijacked session asks to move the space to the attacker's address. The
    /// owner cancels from the old mailbox: the hijacker's session must end with it, on every
    /// browser, not only the pending change.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Cancelling_from_the_old_address_closes_every_session_of_the_space(string provider)
    {
        await using var app = new TestApp(provider);
        using var hijacker = app.NewUser();
        await hijacker.LoginAsync(Users.Lila);
        using var ownerBrowser = app.NewUser();
        await ownerBrowser.LoginAsync(Users.Lila);
        await hijacker.SubmitIdentifiersAsync(await hijacker.OpenAsync(), newEmail: "pirate@espacepro.test");
        var notice = (await app.DeliverMailAsync()).Single(m => m.To == Users.Lila.Email);
        var link = CancelLink().Match(notice.TextBody).Groups[1].Value;
        // Both sessions are live and read into this node's session cache.
        Assert.Equal(HttpStatusCode.OK, (await hijacker.Client.GetAsync("/gerer-mon-espace", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ownerBrowser.Client.GetAsync("/gerer-mon-espace", TestContext.Current.CancellationToken)).StatusCode);

        using var mailbox = app.NewUser();
        var done = await mailbox.SubmitAsync(await mailbox.GetAsync(link), "main form[method=post]", new Dictionary<string, string?>());
        Assert.Contains("est annulée", done.Text);

        foreach (var browser in new[] { hijacker, ownerBrowser })
        {
            var after = await browser.Client.GetAsync("/gerer-mon-espace", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            Assert.Equal("/connexion", new Uri(new Uri("https://localhost"), after.Headers.Location!).AbsolutePath);
        }
        Assert.Equal("/", (await mailbox.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [GeneratedRegex(@"https://espacepro\.test(/annulation/[A-Za-z0-9_-]+)")]
    private static partial Regex CancelLink();
}
