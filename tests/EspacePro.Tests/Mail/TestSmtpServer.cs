using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using EspacePro.SmtpSink;
using MimeKit;

namespace EspacePro.Tests.Mail;

/// <summary>The SMTP sink (tools/SmtpSink) on 127.0.0.1, keeping what it receives in memory.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SinkServer _server;

    /// <param name="sessionTimeout">When the server ends a session, however busy (a relay's limit).</param>
    public TestSmtpServer(TimeSpan? sessionTimeout = null)
    {
        _server = new SinkServer(IPAddress.Loopback, 0, async (buffer, cancellationToken) =>
        {
            using var stream = new MemoryStream(buffer.ToArray());
            _messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
        }, sessionTimeout);
    }

    public int Port => _server.Port;

    public IReadOnlyList<MimeMessage> Received => _messages.ToList();

    /// <summary>Starts listening; returns once a client can connect.</summary>
    public Task StartAsync() => _server.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
