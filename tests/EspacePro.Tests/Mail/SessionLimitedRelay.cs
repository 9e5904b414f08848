using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EspacePro.Tests.Mail;

/// <summary>
/// A minimal SMTP relay on 127.0.0.1 that behaves as production relays do at their limits: after
/// <c>mailsPerSession</c> mails on one connection it answers the next MAIL FROM with « 421 » and
/// closes. With <c>refuseSecond</c>, the second mail of a session is refused with « 550 » instead
/// (a refusal about the mail, not the connection). It keeps the subject of every mail accepted.
/// </summary>
public sealed class SessionLimitedRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<string> _subjects = [];
    private readonly int _mailsPerSession;
    private readonly bool _refuseSecond;
    private int _sessions;

    public SessionLimitedRelay(int mailsPerSession, bool refuseSecond = false)
    {
        _mailsPerSession = mailsPerSession;
        _refuseSecond = refuseSecond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Sessions => Volatile.Read(ref _sessions);

    public IReadOnlyList<string> Subjects
    {
        get
        {
            lock (_subjects)
            {
                return [.. _subjects];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _sessions);
            _ = SessionAsync(client);
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var mails = 0;
        try
        {
            await writer.WriteLineAsync("220 relay.espacepro.test ESMTP");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-relay.espacepro.test");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "MAIL" when mails >= _mailsPerSession:
                        await writer.WriteLineAsync("421 4.4.2 relay.espacepro.test closing: too many mails on this connection");
                        return;
                    case "MAIL" when _refuseSecond && mails == 1:
                        mails++;
                        await writer.WriteLineAsync("550 5.7.1 refused");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        string? subject = null;
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                        {
                            if (subject is null && data.StartsWith("Subject: ", StringComparison.Ordinal))
                            {
                                subject = data["Subject: ".Length..];
                            }
                        }
                        lock (_subjects)
                        {
                            _subjects.Add(subject ?? "");
                        }
                        mails++;
                        await writer.WriteLineAsync("250 2.0.0 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the relay is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
