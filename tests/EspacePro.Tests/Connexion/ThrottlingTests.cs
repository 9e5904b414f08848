using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using EspacePro.Web.Pages.Connexion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Connexion;

public sealed class ThrottlingTests
{
    private const string Wrong = "Pas-le-bon-mot-de-passe-du-tout";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task After_five_failures_even_the_right_password_is_refused_until_the_delay_passes(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        for (var i = 0; i < LoginThrottler.AccountAllowance; i++)
        {
            await user.LoginAsync(Users.Lila.Email, Wrong);
        }

        var throttled = await user.LoginAsync(Users.Lila);
        Assert.Equal("/connexion", throttled.Url.AbsolutePath);
        Assert.Equal([IndexModel.FailureMessage], throttled.SummaryErrors);
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "login.throttled")));

        app.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var home = await user.LoginAsync(Users.Lila);
        Assert.Equal("/", home.Url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Parallel_wrong_passwords_are_all_counted_and_no_more_than_the_allowance_are_checked(string provider)
    {
        await using var app = new TestApp(provider);
        const int tries = 20;
        var attackers = Enumerable.Range(0, tries).Select(_ => app.NewUser()).ToList();
        var forms = await Task.WhenAll(attackers.Select(a => a.GetAsync("/connexion")));

        var pages = await Task.WhenAll(attackers.Select((a, i) => a.SubmitAsync(forms[i], "#form-connexion",
            new Dictionary<string, string?> { ["Input.Email"] = Users.Lila.Email, ["Input.Password"] = Wrong })));

        // Every try gets the same answer, whether its password was checked or not.
        Assert.All(pages, p => Assert.Equal([IndexModel.FailureMessage], p.SummaryErrors));
        var row = await app.DbAsync(db => db.LoginThrottles.SingleAsync(t => t.Key == LoginThrottler.AccountKey(Users.Lila.Email.ToUpperInvariant())));
        Assert.Equal(tries, row.Failures);
        Assert.True(row.BlockedUntil > app.Time.GetUtcNow());
        // A checked password leaves "login.failed", a refused one "login.throttled" and no hash of the password.
        var checkedTries = await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "login.failed"));
        var refused = await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "login.throttled"));
        Assert.InRange(checkedTries, 1, LoginThrottler.AccountAllowance);
        Assert.Equal(tries - checkedTries, refused);

        using var owner = app.NewUser();
        Assert.Equal([IndexModel.FailureMessage], (await owner.LoginAsync(Users.Lila)).SummaryErrors);
        foreach (var attacker in attackers)
        {
            attacker.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_success_gives_back_the_guess_it_counted_on_the_address(string provider)
    {
        await using var app = new TestApp(provider);
        using var office = app.NewUser();
        // More successful logins from one address than the address allows failures.
        for (var i = 0; i < LoginThrottler.AddressAllowance + 2; i++)
        {
            Assert.Equal("/", (await office.LoginAsync(Users.NoService)).Url.AbsolutePath);
            await office.SubmitAsync(await office.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());
        }

        var address = await app.DbAsync(db => db.LoginThrottles.SingleAsync(t => t.Key.StartsWith("ip:")));
        Assert.Equal(0, address.Failures);
        Assert.Null(address.BlockedUntil);
        Assert.False(await app.DbAsync(db => db.LoginThrottles.AnyAsync(t => t.Key.StartsWith("e:"))));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_login_given_up_while_it_waits_for_the_hash_leaves_no_failure(string provider)
    {
        // One hash at a time, and a queue ahead of the login: it is counted, then waits.
        await using var app = new TestApp(provider, new Dictionary<string, string?> { ["Password:HashConcurrency"] = "1" });
        using var person = app.NewUser();
        var form = await person.GetAsync("/connexion");
        var hashing = app.Services.GetRequiredService<PasswordHashing>();
        var queue = Enumerable.Range(0, 150).Select(i => hashing.HashAsync("file-d-attente-" + i)).ToList();

        using var giveUp = new CancellationTokenSource();
        var login = person.SubmitAsync(form, "#form-connexion",
            new Dictionary<string, string?> { ["Input.Email"] = Users.Lila.Email, ["Input.Password"] = Users.Lila.Password },
            cancellationToken: giveUp.Token);
        var accountKey = LoginThrottler.AccountKey(Users.Lila.Email.ToUpperInvariant());
        while (!await app.DbAsync(db => db.LoginThrottles.AnyAsync(t => t.Key == accountKey && t.Failures == 1)))
        {
            Assert.False(login.IsCompleted, "the login ended before it was given up: the queue ahead of it was too short");
            await Task.Delay(10);
        }
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => login);
        await Task.WhenAll(queue);

        // The person tried once, gave up, and is not one failure closer to being blocked, nor
        // is anyone sharing the address.
        async Task<int> FailuresAsync(string prefix) =>
            await app.DbAsync(db => db.LoginThrottles.Where(t => t.Key.StartsWith(prefix)).SumAsync(t => t.Failures));
        for (var i = 0; i < 200 && (await FailuresAsync("e:") > 0 || await FailuresAsync("ip:") > 0); i++)
        {
            await Task.Delay(25);
        }
        Assert.Equal(0, await FailuresAsync("e:"));
        Assert.Equal(0, await FailuresAsync("ip:"));
        Assert.Equal("/", (await person.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }

    [Fact]
    public async Task The_delay_grows_with_each_failure_but_is_capped()
    {
        Assert.Equal(TimeSpan.Zero, LoginThrottler.DelayAfter(4, 5));
        Assert.Equal(TimeSpan.FromMinutes(1), LoginThrottler.DelayAfter(5, 5));
        Assert.Equal(TimeSpan.FromMinutes(2), LoginThrottler.DelayAfter(6, 5));
        Assert.Equal(TimeSpan.FromMinutes(8), LoginThrottler.DelayAfter(8, 5));
        Assert.Equal(LoginThrottler.MaximumDelay, LoginThrottler.DelayAfter(50, 5));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_unknown_e_mail_is_throttled_exactly_like_a_known_one()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        for (var i = 0; i < LoginThrottler.AccountAllowance; i++)
        {
            await user.LoginAsync("inconnu@espacepro.test", Wrong);
        }

        var keys = await app.DbAsync(db => db.LoginThrottles.Where(t => t.Key.StartsWith("e:")).ToListAsync());
        var row = Assert.Single(keys);
        Assert.Equal(LoginThrottler.AccountAllowance, row.Failures);
        Assert.NotNull(row.BlockedUntil);
        Assert.DoesNotContain("inconnu", row.Key, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Throttling_one_account_does_not_lock_out_another_user()
    {
        await using var app = new TestApp();
        using var attacker = app.NewUser();
        for (var i = 0; i < LoginThrottler.AccountAllowance + 2; i++)
        {
            await attacker.LoginAsync(Users.Lila.Email, Wrong);
        }

        using var other = app.NewUser();
        var home = await other.LoginAsync(Users.NoService);
        Assert.Equal("/", home.Url.AbsolutePath);
    }

    [Fact]
    public async Task Many_failures_from_one_address_block_that_address_across_accounts()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        for (var i = 0; i < LoginThrottler.AddressAllowance; i++)
        {
            await user.LoginAsync($"essai{i}@espacepro.test", Wrong);
        }

        var blocked = await user.LoginAsync(Users.NoService);
        Assert.Equal([IndexModel.FailureMessage], blocked.SummaryErrors);

        app.Time.Advance(LoginThrottler.ForgetAfter + TimeSpan.FromMinutes(1));
        var home = await user.LoginAsync(Users.NoService);
        Assert.Equal("/", home.Url.AbsolutePath);
    }

    [Fact]
    public async Task A_quiet_hour_forgives_past_failures()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        for (var i = 0; i < LoginThrottler.AccountAllowance - 1; i++)
        {
            await user.LoginAsync(Users.Lila.Email, Wrong);
        }
        app.Time.Advance(LoginThrottler.ForgetAfter + TimeSpan.FromMinutes(1));

        await user.LoginAsync(Users.Lila.Email, Wrong);

        var row = await app.DbAsync(db => db.LoginThrottles.SingleAsync(t => t.Key == LoginThrottler.AccountKey(Users.Lila.Email.ToUpperInvariant())));
        Assert.Equal(1, row.Failures);
        Assert.Null(row.BlockedUntil);
    }
}
