using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using EspacePro.Web.Common;
using EspacePro.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Accounts;

public sealed class ExpiryReminderTests
{
    private const string Subject = "Espace professionnel - Expiration prochaine de votre mot de passe";

    /// <summary>Lila's password ends in <paramref name="daysLeft"/> days; the other spaces' far away.</summary>
    private static Task SetDaysLeftAsync(TestApp app, int daysLeft) => app.DbAsync(async db =>
    {
        var today = FrenchFormat.ParisDate(app.Time.GetUtcNow());
        foreach (var account in await db.Users.ToListAsync())
        {
            account.PasswordValidUntil = today.AddDays(account.Email == Users.Lila.Email ? daysLeft : 2000);
        }
        await db.SaveChangesAsync();
    });

    /// <summary>Runs the job as the background service would, then delivers what it queued.</summary>
    private static async Task<IReadOnlyList<OutgoingMail>> RunAsync(TestApp app)
    {
        await app.Services.GetRequiredService<ExpiryReminders>().RunOnceAsync(TestContext.Current.CancellationToken);
        return await app.DeliverMailAsync();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Reminders_go_out_30_and_7_days_before_once_each(string provider)
    {
        await using var app = new TestApp(provider);
        await SetDaysLeftAsync(app, 31);

        Assert.Empty(await RunAsync(app));

        app.Time.Advance(TimeSpan.FromDays(1));
        var thirty = Assert.Single(await RunAsync(app));
        Assert.Equal(Users.Lila.Email, thirty.To);
        Assert.Equal(Subject, thirty.Subject);
        Assert.Contains("soit encore 30 jours", thirty.TextBody);
        Assert.Empty(await RunAsync(app));

        app.Time.Advance(TimeSpan.FromDays(22));
        Assert.Empty(await RunAsync(app));

        app.Time.Advance(TimeSpan.FromDays(1));
        var seven = Assert.Single(await RunAsync(app));
        Assert.Equal(Users.Lila.Email, seven.To);
        Assert.Contains("soit encore 7 jours", seven.TextBody);
        Assert.Empty(await RunAsync(app));

        app.Time.Advance(TimeSpan.FromDays(7));
        Assert.Empty(await RunAsync(app));
        Assert.Equal(2, await app.DbAsync(db => db.ExpiryReminders.CountAsync()));
    }

    [Fact]
    public async Task The_day_is_the_paris_day()
    {
        await using var app = new TestApp();
        // 23:30 UTC on 23 February is already 24 February in Paris (UTC+1): 30 days left, not 31.
        app.Time.SetUtcNow(new DateTimeOffset(2026, 2, 23, 23, 30, 0, TimeSpan.Zero));
        await app.DbAsync(async db =>
        {
            foreach (var account in await db.Users.ToListAsync())
            {
                account.PasswordValidUntil = account.Email == Users.Lila.Email ? new DateOnly(2026, 3, 26) : new DateOnly(2030, 1, 1);
            }
            await db.SaveChangesAsync();
        });

        var mail = Assert.Single(await RunAsync(app));
        Assert.Contains("soit encore 30 jours", mail.TextBody);
    }

    [Fact]
    public async Task A_job_that_missed_the_30_day_reminder_sends_only_the_7_day_one()
    {
        await using var app = new TestApp();
        await SetDaysLeftAsync(app, 5);

        var mail = Assert.Single(await RunAsync(app));

        Assert.Contains("soit encore 5 jours", mail.TextBody);
        Assert.Equal(7, await app.DbAsync(db => db.ExpiryReminders.Select(r => r.DaysBefore).SingleAsync()));
    }

    [Fact]
    public async Task An_expired_password_gets_no_reminder()
    {
        await using var app = new TestApp();
        await SetDaysLeftAsync(app, -1);

        Assert.Empty(await RunAsync(app));
    }

    [Fact]
    public async Task A_space_not_yet_activated_gets_no_reminder()
    {
        await using var app = new TestApp();
        await SetDaysLeftAsync(app, 30);
        await app.DbAsync(async db =>
        {
            (await db.Users.SingleAsync(a => a.Email == Users.Lila.Email)).ActivatedAt = null;
            await db.SaveChangesAsync();
        });

        Assert.Empty(await RunAsync(app));
    }

    [Fact]
    public async Task A_new_password_starts_the_reminders_over()
    {
        await using var app = new TestApp();
        await SetDaysLeftAsync(app, 30);
        Assert.Single(await RunAsync(app));

        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Identifiers.NewPassword);
        await app.DeliverMailAsync();
        Assert.Empty(await RunAsync(app));

        // The new password: valid until 22 February 2029; its own reminder 30 days before.
        app.Time.SetUtcNow(new DateTimeOffset(2029, 1, 23, 9, 0, 0, TimeSpan.Zero));
        var mail = Assert.Single(await RunAsync(app), m => m.To == Users.Lila.Email);
        Assert.Contains("22 février 2029", mail.TextBody);
        Assert.Contains("soit encore 30 jours", mail.TextBody);
    }

    [Fact]
    public async Task A_reminder_another_node_already_wrote_is_not_sent_again()
    {
        await using var app = new TestApp();
        await SetDaysLeftAsync(app, 30);
        await app.DbAsync(async db =>
        {
            var lila = await db.Users.SingleAsync(a => a.Email == Users.Lila.Email);
            db.ExpiryReminders.Add(new ExpiryReminder { AccountId = lila.Id, ValidUntil = lila.PasswordValidUntil, DaysBefore = 30, SentAt = app.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        });

        Assert.Empty(await RunAsync(app));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Several_nodes_running_at_once_send_each_reminder_once(string provider)
    {
        await using var app = new TestApp(provider);
        await app.DbAsync(async db =>
        {
            // Every space due for its reminder.
            foreach (var account in await db.Users.ToListAsync())
            {
                account.PasswordValidUntil = FrenchFormat.ParisDate(app.Time.GetUtcNow()).AddDays(20);
            }
            await db.SaveChangesAsync();
        });
        var job = app.Services.GetRequiredService<ExpiryReminders>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => job.RunOnceAsync(TestContext.Current.CancellationToken))));

        var mails = await app.DeliverMailAsync();
        var spaces = await app.DbAsync(db => db.Users.CountAsync());
        Assert.Equal(spaces, mails.Count);
        Assert.Equal(spaces, mails.Select(m => m.To).Distinct().Count());
    }

    [Fact]
    public async Task More_spaces_than_a_batch_all_get_their_reminder()
    {
        await using var app = new TestApp();
        await SetDaysLeftAsync(app, 2000);
        var today = FrenchFormat.ParisDate(app.Time.GetUtcNow());
        await app.DbAsync(async db =>
        {
            for (var i = 0; i < ExpiryReminders.BatchSize + 20; i++)
            {
                db.Users.Add(new Account
                {
                    Id = Guid.NewGuid(),
                    Email = $"espace{i}@espacepro.test",
                    NormalizedEmail = $"ESPACE{i}@ESPACEPRO.TEST",
                    UserName = $"2026{i:D10}",
                    NormalizedUserName = $"2026{i:D10}",
                    SubscriberNumber = $"2026{i:D10}",
                    SecurityStamp = Guid.NewGuid().ToString("N"),
                    PasswordValidUntil = today.AddDays(10),
                    ActivatedAt = app.Time.GetUtcNow(),
                });
            }
            await db.SaveChangesAsync();
        });

        var queued = await app.Services.GetRequiredService<ExpiryReminders>().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ExpiryReminders.BatchSize + 20, queued);
        Assert.Equal(ExpiryReminders.BatchSize + 20, await app.DbAsync(db => db.Outbox.CountAsync()));
    }
}
