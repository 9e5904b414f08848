using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EspacePro.Web.Mail;

/// <summary>Through the configured relay (MailKit), on one connection kept open while mail keeps coming.</summary>
public sealed class SmtpMailDelivery(IOptions<MailOptions> options, TimeProvider time) : IMailDelivery, IDisposable
{
    /// <summary>A connection idle longer than this is closed rather than reused (servers drop idle ones).</summary>
    private const long IdleMilliseconds = 20_000;

    // One connection per node, reused while mail keeps coming: a batch does not pay a TCP and
    // TLS handshake (and a login) per message. The dispatcher sends one mail at a time anyway.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SmtpClient? _client;
    private long _lastUsed;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = MimeMessages.Build(mail, settings.From, time.GetUtcNow());
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var reused = _client is { IsConnected: true } && Environment.TickCount64 - _lastUsed < IdleMilliseconds;
            if (!reused)
            {
                await DropAsync();
            }
            try
            {
                await SendOnceAsync(message, settings.Smtp, cancellationToken);
            }
            catch (Exception e) when (reused && IsAboutTheConnection(e))
            {
                // The kept connection had gone stale, or the relay ended its session: one fresh
                // connection, then the error stands.
                await DropAsync();
                await SendOnceAsync(message, settings.Smtp, cancellationToken);
            }
            _lastUsed = Environment.TickCount64;
        }
        catch
        {
            await DropAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A failure that says the connection is over, not that the mail is refused: the socket
    /// closed, or a transient (4xx) answer such as the « 421 » a relay gives when it ends a
    /// session (a timeout, or its limit of mails per connection). A relay that cut the session
    /// in the middle of a command may leave MailKit a reply without text: transient too. A 5xx is
    /// the relay's verdict on this mail and is not sent again.
    /// </summary>
    public static bool IsAboutTheConnection(Exception error) => error switch
    {
        IOException or ServiceNotConnectedException or SmtpProtocolException => true,
        SmtpCommandException command => (int)command.StatusCode is >= 400 and < 500 || string.IsNullOrWhiteSpace(command.Message),
        _ => false,
    };

    private async Task SendOnceAsync(MimeMessage message, SmtpOptions smtp, CancellationToken cancellationToken)
    {
        if (_client is not { IsConnected: true })
        {
            // Below the dispatcher's lease, so a hung server cannot make another node send the same mail.
            var client = new SmtpClient { Timeout = (int)options.Value.SendTimeout.TotalMilliseconds };
            _client = client;
            var host = smtp.Host ?? throw new InvalidOperationException("Mail:Smtp:Host is not set.");
            await client.ConnectAsync(host, smtp.Port, SocketOptions(smtp.Security), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                if (!client.IsSecure)
                {
                    // Auto falls back to plain text when the server offers no STARTTLS: never with a password.
                    throw new AuthenticationException("The SMTP connection is not encrypted: the credentials were not sent.");
                }
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
            }
        }
        await _client.SendAsync(message, cancellationToken);
    }

    private async Task DropAsync()
    {
        if (_client is null)
        {
            return;
        }
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(quit: true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or ServiceNotConnectedException or OperationCanceledException)
        {
            // Closing a broken connection: nothing to save.
        }
        _client.Dispose();
        _client = null;
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }

    public static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        // Enforced: MailKit fails the connection when the server does not offer STARTTLS.
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
