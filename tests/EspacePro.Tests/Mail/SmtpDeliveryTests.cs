using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Mail;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EspacePro.Tests.Mail;

public sealed class SmtpDeliveryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 2, 23, 13, 52, 32, TimeSpan.Zero));

    private static SmtpMailDelivery Delivery(int port, SmtpSecurity security = SmtpSecurity.None, string? userName = null) =>
        new(Options.Create(new MailOptions
        {
            Delivery = MailDeliveryMode.Smtp,
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = security, UserName = userName, Password = userName is null ? null : "secret" },
        }), Time);

    private static OutgoingMail Mail()
    {
        var email = new PasswordChangedEmail("lila.rosemonde@orange.fr", Time.GetUtcNow(), new DateOnly(2029, 2, 22));
        return new OutgoingMail(Guid.Parse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), email.Kind, email.To, email.Subject, email.TextBody(), email.HtmlBody());
    }

    [Fact]
    public async Task A_mail_sent_through_SMTP_arrives_with_its_headers_and_both_parts()
    {
        await using var server = new TestSmtpServer();
        await server.StartAsync();

        await Delivery(server.Port).SendAsync(Mail(), Cancel);

        var received = Assert.Single(server.Received);
        Assert.Equal("ne-pas-repondre@dgfip.finances.gouv.fr", Assert.Single(received.From.Mailboxes).Address);
        Assert.Equal("lila.rosemonde@orange.fr", Assert.Single(received.To.Mailboxes).Address);
        Assert.Equal("Espace professionnel - Modification du mot de passe", received.Subject);
        Assert.Equal("0195a1b2c3d47e5f8a9b0c1d2e3f4a5b@dgfip.finances.gouv.fr", received.MessageId);
        Assert.Equal("auto-generated", received.Headers["Auto-Submitted"]);
        Assert.Equal(Time.GetUtcNow(), received.Date);
        Assert.Equal("multipart/alternative", received.Body!.ContentType.MimeType);
        Assert.Contains("Celui-ci est valable jusqu'au 22 février 2029.", received.TextBody);
        Assert.Contains("<strong>22 février 2029</strong>", received.HtmlBody);
        Assert.Contains("Pour votre sécurité :", received.TextBody);
    }

    [Fact]
    public async Task StartTls_is_enforced_not_opportunistic()
    {
        await using var server = new TestSmtpServer();
        await server.StartAsync();

        // The test server offers no STARTTLS: the mail must not go out in clear.
        await Assert.ThrowsAsync<NotSupportedException>(() => Delivery(server.Port, SmtpSecurity.StartTls).SendAsync(Mail(), Cancel));

        Assert.Empty(server.Received);
        Assert.Equal(SecureSocketOptions.StartTls, SmtpMailDelivery.SocketOptions(SmtpSecurity.StartTls));
        Assert.Equal(SecureSocketOptions.SslOnConnect, SmtpMailDelivery.SocketOptions(SmtpSecurity.SslOnConnect));
        Assert.Equal(SecureSocketOptions.None, SmtpMailDelivery.SocketOptions(SmtpSecurity.None));
    }

    [Fact]
    public async Task Credentials_are_never_sent_over_a_plain_connection()
    {
        await using var server = new TestSmtpServer();
        await server.StartAsync();

        await Assert.ThrowsAsync<AuthenticationException>(() => Delivery(server.Port, SmtpSecurity.Auto, userName: "relay-user").SendAsync(Mail(), Cancel));

        Assert.Empty(server.Received);
    }

    /// <summary>
    /// The attack: a relay (or a machine in the middle) that does not offer STARTTLS, hoping that
    /// Auto falls back to plain text and hands over the relay password and a mailed code.
    /// </summary>
    [Fact]
    public async Task With_credentials_and_no_STARTTLS_a_code_is_kept_for_a_retry_not_sent_in_clear()
    {
        await using var server = new TestSmtpServer();
        await server.StartAsync();
        await using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["Mail:Delivery"] = "Smtp",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "Auto",
            ["Mail:Smtp:UserName"] = "relay-user",
            ["Mail:Smtp:Password"] = "relay-secret",
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Mailer>().Enqueue(
                new ActivationCodeEmail("lila.rosemonde@orange.fr", "BBBzvnAjPtUp", new Uri("https://espacepro.test/activation"), 48));
            await scope.ServiceProvider.GetRequiredService<EspaceProDbContext>().SaveChangesAsync(Cancel);
        }

        Assert.Empty(await app.DeliverMailAsync());

        Assert.Empty(server.Received);
        var row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.SentAt);
        Assert.StartsWith("AuthenticationException: ", row.LastError);
        Assert.True(row.NextAttemptAt > app.Time.GetUtcNow());
    }

    [Fact]
    public async Task A_recipient_with_a_line_break_is_refused_at_send_time_too()
    {
        var mail = Mail() with { To = "lila@example.com\r\nBcc: eve@example.com" };

        await Assert.ThrowsAsync<ArgumentException>(() => Delivery(1).SendAsync(mail, Cancel));
    }

    [Fact]
    public async Task With_the_server_down_the_dispatcher_records_the_failure_and_delivers_once_it_is_up()
    {
        await using var server = new TestSmtpServer();
        await using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["Mail:Delivery"] = "Smtp",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Mailer>().Enqueue(new TrustAnswerChangedEmail("lila.rosemonde@orange.fr", app.Time.GetUtcNow()));
            await scope.ServiceProvider.GetRequiredService<EspaceProDbContext>().SaveChangesAsync(Cancel);
        }

        Assert.Empty(await app.DeliverMailAsync());
        var row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.SentAt);
        Assert.StartsWith("SocketException: ", row.LastError);

        await server.StartAsync();
        Assert.Empty(await app.DeliverMailAsync());
        app.Time.Advance(OutboxDispatcher.RetryDelay(1));
        Assert.Single(await app.DeliverMailAsync());

        var received = Assert.Single(server.Received);
        Assert.Equal("Espace professionnel - Modification de la réponse à la question de confiance", received.Subject);
        row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal(2, row.Attempts);
        Assert.NotNull(row.SentAt);
    }

    [Fact]
    public async Task A_kept_connection_the_relay_ends_mid_stream_is_replaced_and_every_mail_goes_out()
    {
        // The relay ends every session after a while, however busy (the sink's package: two
        // minutes by default; Postfix and others have their own limits), at whatever point of a
        // mail's transaction it has reached. The mail on the kept connection then must not fail
        // (nor wait 30 s for its retry): it goes out on a fresh connection.
        await using var server = new TestSmtpServer(sessionTimeout: TimeSpan.FromSeconds(0.5));
        await server.StartAsync();
        using var delivery = Delivery(server.Port);

        var sent = new List<string>();
        var until = DateTime.UtcNow.AddSeconds(3);
        for (var i = 0; DateTime.UtcNow < until; i++)
        {
            await delivery.SendAsync(Mail() with { Subject = $"mail {i}" }, Cancel);
            sent.Add($"mail {i}");
            await Task.Delay(TimeSpan.FromMilliseconds(7), Cancel);
        }

        Assert.Equal(sent, server.Received.Select(m => m.Subject));
    }

    [Fact]
    public async Task A_kept_connection_the_relay_closes_with_421_is_replaced_and_the_mail_goes_out_at_once()
    {
        // Postfix, Exchange and others end a session with « 421 » (timeout, too many mails on one
        // connection) in answer to the next command, then close: the mail was never accepted, so
        // it goes out on a fresh connection rather than waiting 30 s for the outbox's retry.
        await using var relay = new SessionLimitedRelay(mailsPerSession: 2);
        using var delivery = Delivery(relay.Port);

        for (var i = 0; i < 5; i++)
        {
            await delivery.SendAsync(Mail() with { Subject = $"mail {i}" }, Cancel);
        }

        Assert.Equal(["mail 0", "mail 1", "mail 2", "mail 3", "mail 4"], relay.Subjects);
        Assert.Equal(3, relay.Sessions);
    }

    [Fact]
    public async Task A_refusal_on_a_kept_connection_is_not_sent_again()
    {
        // A 5xx is the relay's answer about this mail, not about the connection: no second try.
        await using var relay = new SessionLimitedRelay(mailsPerSession: 10, refuseSecond: true);
        using var delivery = Delivery(relay.Port);

        await delivery.SendAsync(Mail() with { Subject = "mail 0" }, Cancel);
        var error = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() => delivery.SendAsync(Mail() with { Subject = "mail 1" }, Cancel));

        Assert.Equal(MailKit.Net.Smtp.SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.Equal(["mail 0"], relay.Subjects);
        Assert.Equal(1, relay.Sessions);
    }
}
