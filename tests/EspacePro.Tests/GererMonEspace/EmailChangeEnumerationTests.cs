using System.Text.RegularExpressions;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.GererMonEspace;

/// <summary>
/// A logged-in user asking for a new login e-mail must not learn whether that address has a
/// space, and must not be able to make the service mail an address without end.
/// </summary>
public sealed partial class EmailChangeEnumerationTests
{
    private static string Target => Users.NoService.Email;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_taken_and_a_free_address_look_the_same_to_the_requester(string provider)
    {
        var taken = await RequestAsObservedAsync(provider, targetHasSpace: true);
        var free = await RequestAsObservedAsync(provider, targetHasSpace: false);

        Assert.Equal(free.Page, taken.Page);
        Assert.NotEmpty(free.OwnMail);
        Assert.Equal(free.OwnMail, taken.OwnMail);
    }

    /// <summary>Lila asks for <see cref="Target"/>; what she can see: the page and her own mailbox.</summary>
    private static async Task<(string Page, IReadOnlyList<string> OwnMail)> RequestAsObservedAsync(string provider, bool targetHasSpace)
    {
        await using var app = new TestApp(provider);
        if (!targetHasSpace)
        {
            await app.DbAsync(db => db.Users.Where(a => a.Email == Target).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Email, "ailleurs@espacepro.test")
                .SetProperty(a => a.NormalizedEmail, "AILLEURS@ESPACEPRO.TEST")));
        }
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: Target);

        Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath, StringComparison.Ordinal);
        var own = (await app.DeliverMailAsync())
            .Where(m => m.To == Users.Lila.Email)
            .Select(m => Stable($"{m.Subject}\n{m.TextBody}\n{m.HtmlBody}"))
            .ToList();
        return (Stable(saved.Document.QuerySelector("main")!.OuterHtml), own);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_cancel_link_works_alike_for_a_taken_and_a_free_address(string provider)
    {
        foreach (var targetHasSpace in new[] { true, false })
        {
            await using var app = new TestApp(provider);
            if (!targetHasSpace)
            {
                await app.DbAsync(db => db.Users.Where(a => a.Email == Target).ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.Email, "ailleurs@espacepro.test")
                    .SetProperty(a => a.NormalizedEmail, "AILLEURS@ESPACEPRO.TEST")));
            }
            using var user = app.NewUser();
            await user.LoginAsync(Users.Lila);
            await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: Target);
            var notice = (await app.DeliverMailAsync()).Single(m => m.To == Users.Lila.Email);
            var link = CancelLink().Match(notice.TextBody).Groups[1].Value;

            using var owner = app.NewUser();
            var done = await owner.SubmitAsync(await owner.GetAsync(link), "main form[method=post]", new Dictionary<string, string?>());

            Assert.Contains("est annulée", done.Text);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_sixth_request_of_the_day_is_refused_and_stores_nothing(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        for (var i = 1; i <= 5; i++)
        {
            await app.RequestEmailChangeAsync(user, $"lila.{i}@espacepro.test");
        }
        app.Time.Advance(TimeSpan.FromHours(23));
        await user.LoginAsync(Users.Lila);

        var refused = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newEmail: "lila.6@espacepro.test");

        Assert.Equal(["Vous avez déjà demandé 5 modifications d'adresse électronique en 24 heures : réessayez demain."],
            refused.FieldErrors("input-newemail"));
        Assert.Equal(5, await app.DbAsync(db => db.PendingEmailChanges.CountAsync()));
        Assert.Equal(4, await app.DbAsync(db => db.PendingEmailChanges.CountAsync(p => p.VoidReason == "replaced")));
        Assert.Empty(await app.DeliverMailAsync());

        // A day after the first request, one more is allowed.
        app.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await user.LoginAsync(Users.Lila);
        await app.RequestEmailChangeAsync(user, "lila.6@espacepro.test");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_cap_per_target_address_holds_across_spaces(string provider)
    {
        await using var app = new TestApp(provider, new Dictionary<string, string?> { ["Activation:MaxRequestsPerAddressPerDay"] = "2" });
        const string victim = "boite.visee@espacepro.test";
        foreach (var space in new[] { Users.Lila, Users.SeveralCompanies })
        {
            using var requester = app.NewUser();
            await requester.LoginAsync(space);
            await requester.SubmitIdentifiersAsync(await requester.OpenAsync(), newEmail: victim);
        }
        Assert.Equal(2, (await app.DeliverMailAsync()).Count(m => m.To == victim));

        using var third = app.NewUser();
        await third.LoginAsync(Users.NoService);
        var refused = await third.SubmitIdentifiersAsync(await third.OpenAsync(), newEmail: victim);

        Assert.Equal(["Cette adresse électronique a déjà fait l'objet de 2 demandes en 24 heures : réessayez demain."],
            refused.FieldErrors("input-newemail"));
        Assert.Empty(await app.DeliverMailAsync());
        Assert.Equal(2, await app.DbAsync(db => db.PendingEmailChanges.CountAsync()));
        // Another address is still open to the same space.
        await app.RequestEmailChangeAsync(third, "autre.boite@espacepro.test");
    }

    /// <summary>Masks what differs on every request whatever the address: tokens and cancel links.</summary>
    private static string Stable(string text) =>
        AntiforgeryValue().Replace(CancelToken().Replace(text, "/annulation/[token]"), "value=\"[token]\"");

    [GeneratedRegex(@"https://espacepro\.test(/annulation/[A-Za-z0-9_-]+)")]
    private static partial Regex CancelLink();

    [GeneratedRegex(@"/annulation/[A-Za-z0-9_-]+")]
    private static partial Regex CancelToken();

    [GeneratedRegex(@"value=""CfDJ8[^""]*""")]
    private static partial Regex AntiforgeryValue();
}
