using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EspacePro.Tests.Mail;

public sealed class OutboxTests
{
    private const string Lila = "lila.rosemonde@orange.fr";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task EnqueueAsync(TestApp app, params Email[] mails)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var mailer = scope.ServiceProvider.GetRequiredService<Mailer>();
        foreach (var mail in mails)
        {
            mailer.Enqueue(mail);
        }
        await scope.ServiceProvider.GetRequiredService<EspaceProDbContext>().SaveChangesAsync(Cancel);
    }

    private static PasswordChangedEmail PasswordChanged(TestApp app, string to = Lila) =>
        new(to, app.Time.GetUtcNow(), new DateOnly(2029, 2, 22));

    private static Task<List<OutboxMessage>> RowsAsync(TestApp app) =>
        app.DbAsync(db => db.Outbox.AsNoTracking().ToListAsync(Cancel));

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Enqueue_then_save_writes_the_row_which_is_delivered_once(string provider)
    {
        await using var app = new TestApp(provider);

        await EnqueueAsync(app, PasswordChanged(app));

        var row = Assert.Single(await RowsAsync(app));
        Assert.Equal("PasswordChanged", row.Kind);
        Assert.Equal(Lila, row.To);
        Assert.Equal("Espace professionnel - Modification du mot de passe", row.Subject);
        Assert.Contains("valable jusqu'au 22 février 2029", row.TextBody);
        Assert.Equal(app.Time.GetUtcNow(), row.NextAttemptAt);
        Assert.Null(row.SentAt);

        app.Time.Advance(TimeSpan.FromSeconds(3));
        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(row.Id, mail.Id);
        Assert.Equal(Lila, mail.To);
        Assert.Empty(await app.DeliverMailAsync());

        row = Assert.Single(await RowsAsync(app));
        Assert.Equal(app.Time.GetUtcNow(), row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.LockedUntil);
        Assert.Null(row.LastError);
        // Not a secret: kept for the record.
        Assert.NotEmpty(row.TextBody);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_change_that_is_not_saved_or_rolled_back_sends_nothing(string provider)
    {
        await using var app = new TestApp(provider);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Mailer>().Enqueue(PasswordChanged(app));
            // No SaveChanges: the request failed before committing.
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
            scope.ServiceProvider.GetRequiredService<Mailer>().Enqueue(PasswordChanged(app));
            await db.SaveChangesAsync(Cancel);
            await transaction.RollbackAsync(Cancel);
        }

        Assert.Empty(await app.DeliverMailAsync());
        Assert.Empty(await RowsAsync(app));
        Assert.Equal(0, app.Mail.Calls);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_failed_delivery_is_retried_with_backoff_and_sent_exactly_once(string provider)
    {
        await using var app = new TestApp(provider);
        app.Mail.FailNext(2);
        await EnqueueAsync(app, PasswordChanged(app));

        Assert.Empty(await app.DeliverMailAsync());
        var row = Assert.Single(await RowsAsync(app));
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.SentAt);
        Assert.Null(row.LockedUntil);
        Assert.Equal("IOException: Mail server unavailable (simulated by MailCapture).", row.LastError);
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromSeconds(30), row.NextAttemptAt);

        // Not due yet: not even tried.
        app.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await app.DeliverMailAsync());
        Assert.Equal(1, app.Mail.Calls);

        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await app.DeliverMailAsync());
        row = Assert.Single(await RowsAsync(app));
        Assert.Equal(2, row.Attempts);
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromMinutes(1), row.NextAttemptAt);

        app.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(await app.DeliverMailAsync());
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await app.DeliverMailAsync());

        app.Time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(await app.DeliverMailAsync());
        Assert.Equal(3, app.Mail.Calls);
        Assert.Single(app.Mail.Delivered);
        row = Assert.Single(await RowsAsync(app));
        Assert.Equal(3, row.Attempts);
        Assert.NotNull(row.SentAt);
        Assert.Null(row.LastError);
    }

    [Fact]
    public void Backoff_doubles_from_30_seconds_up_to_an_hour()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), OutboxDispatcher.RetryDelay(1));
        Assert.Equal(TimeSpan.FromMinutes(1), OutboxDispatcher.RetryDelay(2));
        Assert.Equal(TimeSpan.FromMinutes(2), OutboxDispatcher.RetryDelay(3));
        Assert.Equal(TimeSpan.FromMinutes(32), OutboxDispatcher.RetryDelay(7));
        Assert.Equal(TimeSpan.FromHours(1), OutboxDispatcher.RetryDelay(8));
        Assert.Equal(TimeSpan.FromHours(1), OutboxDispatcher.RetryDelay(1000));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Retries_stop_after_MaxAttempts(string provider)
    {
        await using var app = new TestApp(provider, new Dictionary<string, string?> { ["Mail:MaxAttempts"] = "3" });
        app.Mail.FailNext(100);
        await EnqueueAsync(app, new ActivationCodeEmail(Lila, "BBBzvnAjPtUp", new Uri("https://espacepro.test/activation")));

        for (var i = 0; i < 6; i++)
        {
            Assert.Empty(await app.DeliverMailAsync());
            app.Time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(3, app.Mail.Calls);
        var row = Assert.Single(await RowsAsync(app));
        Assert.Equal(3, row.Attempts);
        Assert.Null(row.SentAt);
        Assert.NotNull(row.LastError);
        // Abandoned: the code is not kept either.
        Assert.Empty(row.TextBody);
        Assert.Empty(row.HtmlBody);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Codes_and_links_are_erased_from_the_outbox_once_sent(string provider)
    {
        await using var app = new TestApp(provider);
        var links = app.Services.GetRequiredService<PublicLinks>();
        await EnqueueAsync(app,
            new ActivationCodeEmail("nouvelle@example.com", "BBBzvnAjPtUp", links.To("/activation")),
            new EmailChangeRequestedEmail(Lila, "nouvelle@example.com", app.Time.GetUtcNow(), links.To("/annuler?jeton=Y2FuY2Vs")),
            new PasswordResetLinkEmail(Lila, links.To("/mot-de-passe-oublie/lien?jeton=cmVzZXQ"), app.Time.GetUtcNow()),
            PasswordChanged(app));
        Assert.Contains(await RowsAsync(app), r => r.TextBody.Contains("BBBzvnAjPtUp", StringComparison.Ordinal));

        var delivered = await app.DeliverMailAsync();

        Assert.Equal(4, delivered.Count);
        Assert.Contains("BBBzvnAjPtUp", delivered.To("nouvelle@example.com").TextBody);
        Assert.Equal("BBBzvnAjPtUp", delivered.To("nouvelle@example.com").ActivationCode());
        var rows = await RowsAsync(app);
        Assert.All(rows, r => Assert.NotNull(r.SentAt));
        Assert.All(rows.Where(r => r.Kind != "PasswordChanged"), r =>
        {
            Assert.Empty(r.TextBody);
            Assert.Empty(r.HtmlBody);
            Assert.NotEmpty(r.Subject);
        });
        Assert.NotEmpty(rows.Single(r => r.Kind == "PasswordChanged").TextBody);
        Assert.DoesNotContain(rows, r => r.TextBody.Contains("jeton", StringComparison.Ordinal) || r.HtmlBody.Contains("jeton", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Two_dispatchers_racing_send_each_mail_once(string provider)
    {
        await using var app = new TestApp(provider);
        var first = app.Services.GetRequiredService<OutboxDispatcher>();
        // A second node: its own dispatcher on the same database.
        var second = SecondNode(app);
        var mails = Enumerable.Range(1, 20).Select(i => (Email)PasswordChanged(app, $"user{i}@example.com")).ToArray();
        await EnqueueAsync(app, mails);

        var counts = await Task.WhenAll(first.DispatchDueAsync(Cancel), second.DispatchDueAsync(Cancel), first.DispatchDueAsync(Cancel));

        Assert.Equal(20, counts.Sum());
        Assert.Equal(20, app.Mail.Calls);
        Assert.Equal(20, app.Mail.Delivered.Select(m => m.Id).Distinct().Count());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_row_being_sent_by_one_node_is_left_alone_by_another(string provider)
    {
        await using var app = new TestApp(provider);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Mail.OnSend = async _ =>
        {
            inside.TrySetResult();
            await release.Task;
        };
        await EnqueueAsync(app, PasswordChanged(app));

        var firstNode = app.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(Cancel);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        var secondNode = await SecondNode(app).DispatchDueAsync(Cancel);
        release.SetResult();

        Assert.Equal(0, secondNode);
        Assert.Equal(1, await firstNode);
        Assert.Equal(1, app.Mail.Calls);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_lease_left_by_a_node_that_died_expires_and_the_mail_goes_out(string provider)
    {
        await using var app = new TestApp(provider);
        await EnqueueAsync(app, PasswordChanged(app));
        var leaseEnd = app.Time.GetUtcNow() + new MailOptions().Lease;
        await app.DbAsync(db => db.Outbox.ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseEnd), Cancel));

        Assert.Empty(await app.DeliverMailAsync());
        app.Time.Advance(new MailOptions().Lease + TimeSpan.FromSeconds(1));

        Assert.Single(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task Enqueue_refuses_a_recipient_that_could_add_a_header()
    {
        await using var app = new TestApp();
        await using var scope = app.Services.CreateAsyncScope();
        var mailer = scope.ServiceProvider.GetRequiredService<Mailer>();

        Assert.Throws<ArgumentException>(() => mailer.Enqueue(PasswordChanged(app, "lila@example.com\r\nBcc: eve@example.com")));
        Assert.Throws<ArgumentException>(() => mailer.Enqueue(PasswordChanged(app, "lila@example.com, eve@example.com")));
        Assert.Throws<ArgumentException>(() => mailer.Enqueue(PasswordChanged(app, "Eve <eve@example.com>")));
        Assert.Throws<ArgumentException>(() => mailer.Enqueue(PasswordChanged(app, new string('a', 95) + "@example.com")));
        Assert.Throws<ArgumentException>(() => mailer.Enqueue(PasswordChanged(app, "")));
    }

    [Fact]
    public async Task The_dispatcher_runs_as_a_hosted_service_and_is_woken_up_by_a_save()
    {
        // Background dispatch on, with a poll interval far longer than the test: only the signal can wake it.
        await using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["Mail:BackgroundDispatch"] = "true",
            ["Mail:PollInterval"] = "00:05:00",
        });
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Mail.OnSend = _ => { delivered.TrySetResult(); return Task.CompletedTask; };

        await EnqueueAsync(app, PasswordChanged(app));

        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        Assert.Contains(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is OutboxDispatcher);
    }

    private static OutboxDispatcher SecondNode(TestApp app) => new(
        app.Services.GetRequiredService<IServiceScopeFactory>(),
        app.Mail,
        app.Time,
        app.Services.GetRequiredService<IOptions<MailOptions>>(),
        new MailSignal(),
        NullLogger<OutboxDispatcher>.Instance,
        app.Services.GetRequiredService<EspacePro.Web.Observability.ServiceMetrics>());
}
