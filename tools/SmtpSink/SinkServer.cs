using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace EspacePro.SmtpSink;

/// <summary>
/// A real SMTP server (package SmtpServer) on one loopback address that hands every message it
/// accepts to <c>store</c>; the message is acknowledged only once <c>store</c> has returned.
/// Like most relays it ends a session after <c>sessionTimeout</c> (the package's default: two
/// minutes), however busy the connection is: a client keeping one connection open must expect it.
/// </summary>
public sealed class SinkServer(IPAddress address, int port, Func<ReadOnlySequence<byte>, CancellationToken, Task> store, TimeSpan? sessionTimeout = null) : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _running;

    public IPAddress Address { get; } = address;
    public int Port { get; } = port == 0 ? FreePort(address) : port;

    /// <summary>Starts listening; returns once a client can connect.</summary>
    public async Task StartAsync()
    {
        var endpoint = new EndpointDefinitionBuilder().Endpoint(new IPEndPoint(Address, Port));
        if (sessionTimeout is { } timeout)
        {
            endpoint.SessionTimeout(timeout);
        }
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.espacepro.test")
            .Endpoint(endpoint.Build())
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(store));
        _stop = new CancellationTokenSource();
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        for (var tries = 0; ; tries++)
        {
            if (_running.IsFaulted)
            {
                await _running;
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Address, Port);
                return;
            }
            catch (SocketException) when (tries < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Completes when the server stops (or faults).</summary>
    public Task Completion => _running ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            try
            {
                await _running!;
            }
            catch (OperationCanceledException)
            {
            }
            _stop.Dispose();
            _stop = null;
        }
    }

    public static int FreePort(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        var free = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return free;
    }

    private sealed class Store(Func<ReadOnlySequence<byte>, CancellationToken, Task> store) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await store(buffer, cancellationToken);
            return SmtpResponse.Ok;
        }
    }
}
