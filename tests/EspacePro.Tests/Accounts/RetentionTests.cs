using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Accounts;

/// <summary>
/// Each kind of personal data goes once past its period in « Retention », and only then;
/// housekeeping deletes in batches; « Données personnelles » says the same periods.
/// </summary>
public sealed class RetentionTests
{
    private static Task RunHousekeepingAsync(TestApp app) =>
        app.Services.GetRequiredService<Housekeeping>().RunOnceAsync(TestContext.Current.CancellationToken);

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Rows_past_their_period_are_deleted_in_batches_and_the_rest_is_kept(string provider)
    {
        // Batches of 2, so that the five old journal events take several statements.
        await using var app = new TestApp(provider, new Dictionary<string, string?> { ["Retention:BatchSize"] = "2" });
        var lila = await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email).Select(a => a.Id).SingleAsync());
        var t0 = app.Time.GetUtcNow();
        var today = DateOnly.FromDateTime(t0.UtcDateTime);
        await app.DbAsync(async db =>
        {
            for (var i = 0; i < 5; i++)
            {
                db.AuditEvents.Add(new AuditEvent { At = t0, AccountId = lila, Type = "old" });
            }
            db.PasswordResets.Add(new PasswordResetRequest { Id = Guid.NewGuid(), AccountId = lila, TokenHash = "old", CreatedAt = t0, ExpiresAt = t0.AddHours(1), UsedAt = t0 });
            db.PendingEmailChanges.Add(Pending(lila, "used", t0, usedAt: t0));
            db.PendingEmailChanges.Add(Pending(lila, "lapsed", t0));
            db.Outbox.Add(Mail("sent", t0, sentAt: t0));
            db.Outbox.Add(Mail("given-up", t0, attempts: 60));
            db.Outbox.Add(Mail("retrying", t0, attempts: 3));
            db.ExpiryReminders.Add(new ExpiryReminder { AccountId = lila, ValidUntil = today, DaysBefore = 7, SentAt = t0 });
            db.Captchas.Add(new CaptchaChallenge { Id = "old", Purpose = "Login", Answer = "abcdef", ExpiresAt = t0.AddMinutes(5) });
            db.LoginThrottles.Add(new LoginThrottle { Key = "ip:192.0.2.1", Failures = 2, LastFailureAt = t0 });
            await db.SaveChangesAsync();
        });

        // Eleven months on: only what lasts less than that has gone.
        app.Time.Advance(TimeSpan.FromDays(335));
        var t1 = app.Time.GetUtcNow();
        await app.DbAsync(async db =>
        {
            db.AuditEvents.Add(new AuditEvent { At = t1, AccountId = lila, Type = "recent" });
            db.PasswordResets.Add(new PasswordResetRequest { Id = Guid.NewGuid(), AccountId = lila, TokenHash = "recent", CreatedAt = t1, ExpiresAt = t1.AddHours(1) });
            db.PendingEmailChanges.Add(Pending(lila, "live", t1));
            db.PendingEmailChanges.Add(Pending(lila, "voided", t1, voidedAt: t1));
            db.Outbox.Add(Mail("recent", t1, sentAt: t1));
            db.ExpiryReminders.Add(new ExpiryReminder { AccountId = lila, ValidUntil = DateOnly.FromDateTime(t1.UtcDateTime), DaysBefore = 30, SentAt = t1 });
            db.Captchas.Add(new CaptchaChallenge { Id = "recent", Purpose = "Login", Answer = "ghijkl", ExpiresAt = t1.AddMinutes(5) });
            db.LoginThrottles.Add(new LoginThrottle { Key = "ip:192.0.2.2", Failures = 1, LastFailureAt = t1 });
            await db.SaveChangesAsync();
        });
        await RunHousekeepingAsync(app);

        Assert.Equal(5, await app.DbAsync(db => db.AuditEvents.CountAsync(e => e.Type == "old")));
        Assert.Equal(["recent"], await app.DbAsync(db => db.PasswordResets.Select(r => r.TokenHash).ToListAsync()));
        Assert.Equal(["live", "voided"], await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.CodeHash).OrderBy(h => h).ToListAsync()));
        Assert.Equal(["recent", "retrying"], await app.DbAsync(db => db.Outbox.Select(m => m.Kind).OrderBy(k => k).ToListAsync()));
        Assert.Equal([30], await app.DbAsync(db => db.ExpiryReminders.Select(r => r.DaysBefore).ToListAsync()));
        Assert.Equal(["recent"], await app.DbAsync(db => db.Captchas.Select(c => c.Id).ToListAsync()));
        Assert.Equal(["ip:192.0.2.2"], await app.DbAsync(db => db.LoginThrottles.Select(t => t.Key).ToListAsync()));

        // Past the journal's twelve months, the old events go, the recent one stays; and the
        // demo spaces themselves are untouched.
        app.Time.Advance(TimeSpan.FromDays(31));
        await RunHousekeepingAsync(app);
        Assert.Equal(["recent"], await app.DbAsync(db => db.AuditEvents.Where(e => e.Type == "old" || e.Type == "recent").Select(e => e.Type).ToListAsync()));
        Assert.Equal(["live"], await app.DbAsync(db => db.PendingEmailChanges.Select(p => p.CodeHash).ToListAsync()));
        Assert.Empty(await app.DbAsync(db => db.LoginThrottles.ToListAsync()));
        Assert.Equal(3, await app.DbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Donnees_personnelles_lists_the_configured_periods()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Retention:PasswordResets"] = "7.00:00:00" });
        using var user = app.NewUser();

        var page = await user.GetAsync("/donnees-personnelles");

        var rows = page.Document.QuerySelectorAll("#tableau-conservation tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(8, rows.Count);
        Assert.Contains(rows, r => r.Contains("Journal de sécurité") && r.Contains("12 mois à compter de chaque événement."));
        Assert.Contains(rows, r => r.Contains("Mot de passe oublié") && r.Contains("7 jours à compter de la demande."));
        Assert.Contains(rows, r => r.Contains("Échecs de connexion") && r.Contains("1 heure après le dernier échec"));
    }

    [Fact]
    public void A_period_below_its_floor_stops_the_application_with_the_key_named()
    {
        var errors = new RetentionOptions { LoginThrottles = TimeSpan.FromMinutes(5), AuditEvents = TimeSpan.Zero }.Errors().ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Retention:LoginThrottles", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Retention:AuditEvents", StringComparison.Ordinal));
        Assert.Empty(new RetentionOptions().Errors());
    }

    private static PendingEmailChange Pending(Guid account, string hash, DateTimeOffset at, DateTimeOffset? usedAt = null, DateTimeOffset? voidedAt = null) => new()
    {
        Id = Guid.NewGuid(),
        AccountId = account,
        NewEmail = hash + "@espacepro.test",
        NormalizedNewEmail = hash.ToUpperInvariant() + "@ESPACEPRO.TEST",
        CodeHash = hash,
        CreatedAt = at,
        ExpiresAt = at.AddHours(48),
        UsedAt = usedAt,
        VoidedAt = voidedAt,
    };

    private static OutboxMessage Mail(string kind, DateTimeOffset at, DateTimeOffset? sentAt = null, int attempts = 0) => new()
    {
        Id = Guid.NewGuid(),
        CreatedAt = at,
        Kind = kind,
        To = "lila.rosemonde@espacepro.test",
        Subject = "s",
        TextBody = "t",
        HtmlBody = "h",
        Attempts = attempts,
        NextAttemptAt = at,
        SentAt = sentAt,
    };
}
