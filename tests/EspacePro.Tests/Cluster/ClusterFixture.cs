using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Npgsql;

namespace EspacePro.Tests.Cluster;

/// <summary>A mail as the cluster's SMTP sink stored it.</summary>
public sealed record SinkMail(string File, string MessageId, string To, string Kind, string Text);

/// <summary>
/// The local cluster of deploy/cluster.sh, started once for the class: two nodes of the
/// application as built by <c>dotnet build</c>, nginx in front over TLS, the SMTP sink, on a
/// database of their own (a new one on ESPACEPRO_TEST_POSTGRES's server, else the script's own
/// PostgreSQL). Needs nginx: without it the tests are skipped on a developer's machine and fail
/// in CI (CI=true).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan MailLease = TimeSpan.FromSeconds(8);
    private static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    private readonly ConcurrentDictionary<string, SinkMail> _parsed = new();
    private readonly Dictionary<string, string> _environment = new();
    private string? _missing;
    private string? _database;
    private string? _server;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("espacepro-cluster-test-").FullName;

    /// <summary>nginx, https://127.0.0.1:PORT/.</summary>
    public Uri Entry { get; private set; } = null!;
    public Uri Node1 { get; private set; } = null!;
    public Uri Node2 { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    /// <summary>nginx's self-signed certificate, made by the script at start.</summary>
    public string CertificateThumbprint { get; private set; } = "";
    public string MailDirectory => Path.Combine(Directory, "mail");

    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
    public static string Framework => new DirectoryInfo(AppContext.BaseDirectory).Name;
    public static string WebDll => Path.Combine(RepoPaths.WebProject, "bin", Configuration, Framework, "EspacePro.Web.dll");
    private static string SinkDll => Path.Combine(RepoPaths.Root, "tools", "SmtpSink", "bin", Configuration, Framework, "SmtpSink.dll");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/nginx") && !File.Exists("/usr/bin/nginx"))
        {
            _missing = "nginx is not installed (Debian: apt-get install nginx-light)";
            return;
        }
        _server = Environment.GetEnvironmentVariable(TestApp.PostgresVariable);
        if (_server is null && !System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            _missing = $"no PostgreSQL: set {TestApp.PostgresVariable} or install postgresql";
            return;
        }

        var nodePort = FreePortOnBoth(IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3"));
        var httpsPort = FreePort(IPAddress.Loopback);
        Entry = new Uri($"https://127.0.0.1:{httpsPort}/");
        Node1 = new Uri($"http://127.0.0.2:{nodePort}/");
        Node2 = new Uri($"http://127.0.0.3:{nodePort}/");
        _environment["CLUSTER_DIR"] = Directory;
        _environment["CLUSTER_HTTPS_PORT"] = httpsPort.ToString();
        _environment["CLUSTER_SINGLE_PORT"] = FreePort(IPAddress.Loopback).ToString();
        _environment["CLUSTER_NODE_PORT"] = nodePort.ToString();
        _environment["CLUSTER_SMTP_PORT"] = FreePort(IPAddress.Parse("127.0.0.5")).ToString();
        _environment["CLUSTER_APP_DLL"] = WebDll;
        _environment["CLUSTER_CONTENT_ROOT"] = RepoPaths.WebProject;
        _environment["CLUSTER_SINK_DLL"] = SinkDll;
        // Stops by itself if this test process dies, and after 15 minutes whatever happens.
        _environment["CLUSTER_PARENT"] = Environment.ProcessId.ToString();
        _environment["CLUSTER_LIFETIME"] = "900";
        _environment["CLUSTER_NODE_ENV"] = string.Join(' ',
            "Captcha__Enabled=true",
            // These tests log in with the password alone; the code step's own tests cross nodes on one database.
            "Security__LoginCode__Enabled=false",
            "Mail__PollInterval=00:00:00.200",
            $"Mail__Lease={MailLease:c}",
            // Both background jobs every second on both nodes: any overlap shows at once.
            "Password__ReminderInterval=00:00:01",
            "App__HousekeepingInterval=00:00:01",
            "Logging__LogLevel__Microsoft.EntityFrameworkCore.Migrations=Information");
        if (_server is not null)
        {
            _database = "espacepro_cluster_" + Guid.NewGuid().ToString("N")[..12];
            ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
            await CreateDatabaseAsync(_database);
            _environment["CLUSTER_PG"] = ConnectionString;
        }
        else
        {
            var pgPort = FreePort(IPAddress.Parse("127.0.0.4"));
            _environment["CLUSTER_PG_PORT"] = pgPort.ToString();
            ConnectionString = $"Host=127.0.0.4;Port={pgPort};Database=espacepro;Username=postgres;Password=postgres";
        }

        var (status, output) = await ScriptAsync(TimeSpan.FromMinutes(5), "start");
        if (status != 0)
        {
            throw new InvalidOperationException($"deploy/cluster.sh start failed ({status}):\n{output}\n{LogTail(1)}\n{LogTail(2)}");
        }
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(Directory, "tls", "cert.pem")));
        CertificateThumbprint = certificate.GetCertHashString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_missing is null)
        {
            await DropExtraDatabasesAsync();
            await ScriptAsync(TimeSpan.FromMinutes(1), "stop");
            if (_database is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(_server);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Files of a process that is still closing: the temporary folder is cleared later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Skips the test when nginx or PostgreSQL is missing, or fails it in CI.</summary>
    public void Require()
    {
        if (_missing is null)
        {
            return;
        }
        if (InCi)
        {
            Assert.Fail(_missing + " (CI=true: the cluster tests must run, not be skipped)");
        }
        Assert.Skip(_missing);
    }

    /// <summary>Runs deploy/cluster.sh with this cluster's settings.</summary>
    public async Task<(int Status, string Output)> ScriptAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoPaths.Root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "deploy", "cluster.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/cluster.sh {string.Join(' ', arguments)} did not end within {timeout}");
        }
        return (process.ExitCode, await output + await errors);
    }

    public async Task KillNodeAsync(int node)
    {
        var (status, output) = await ScriptAsync(TimeSpan.FromSeconds(30), "kill-node", node.ToString());
        Assert.True(status == 0, output);
    }

    /// <summary>Stops the SMTP sink: the relay is down.</summary>
    public async Task StopSinkAsync()
    {
        var (status, output) = await ScriptAsync(TimeSpan.FromSeconds(30), "stop-sink");
        Assert.True(status == 0, output);
    }

    /// <summary>Starts the SMTP sink again if it is not running.</summary>
    public async Task EnsureSinkAsync()
    {
        var pid = Path.Combine(Directory, "pids", "sink.pid");
        if (File.Exists(pid) && IsRunning(int.Parse(await File.ReadAllTextAsync(pid))))
        {
            return;
        }
        var (status, output) = await ScriptAsync(TimeSpan.FromMinutes(1), "start-sink");
        Assert.True(status == 0, output);
    }

    /// <summary>
    /// The cluster's database out of reach, as during a server restart: every open connection is
    /// cut and new ones are refused, until <see cref="ReopenDatabaseAsync"/>. Only this cluster's
    /// database: the server may be shared with other tests.
    /// </summary>
    public async Task CloseDatabaseAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var refuse = new NpgsqlCommand($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false", connection);
        await refuse.ExecuteNonQueryAsync();
        await using var cut = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name", connection);
        cut.Parameters.AddWithValue("name", name);
        await cut.ExecuteScalarAsync();
    }

    public async Task ReopenDatabaseAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var allow = new NpgsqlCommand($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true", connection);
        await allow.ExecuteNonQueryAsync();
        // This test process's own pooled connections were cut too.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A node's /metrics value (labels summed), or null when it does not answer.</summary>
    public static async Task<double?> MetricAsync(Uri node, string name)
    {
        using var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var text = await client.GetStringAsync("/metrics");
            var values = text.Split('\n')
                .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            return values.Count == 0 ? null : values.Sum();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Starts node <paramref name="node"/> again if it is not running; returns once it is ready.</summary>
    public async Task EnsureNodeAsync(int node)
    {
        var pid = Path.Combine(Directory, "pids", $"node{node}.pid");
        if (File.Exists(pid) && IsRunning(int.Parse(await File.ReadAllTextAsync(pid))))
        {
            return;
        }
        var (status, output) = await ScriptAsync(TimeSpan.FromMinutes(3), "start-node", node.ToString());
        Assert.True(status == 0, output + LogTail(node));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public string NodeLog(int node) => Path.Combine(Directory, "logs", $"node{node}.log");

    /// <summary>How far node <paramref name="node"/>'s log has been written: lines after it are new.</summary>
    public long LogLength(int node) => File.Exists(NodeLog(node)) ? new FileInfo(NodeLog(node)).Length : 0;

    /// <summary>The lines node <paramref name="node"/> logged since <paramref name="from"/> (a <see cref="LogLength"/>).</summary>
    public IReadOnlyList<string> LogLines(int node, long from = 0)
    {
        using var stream = new FileStream(NodeLog(node), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private string LogTail(int node) =>
        File.Exists(NodeLog(node)) ? $"node {node}:\n" + string.Join('\n', LogLines(node).TakeLast(15)) : "";

    /// <summary>Every mail the sink has stored so far.</summary>
    public IReadOnlyList<SinkMail> Mail()
    {
        var mails = new List<SinkMail>();
        foreach (var file in System.IO.Directory.EnumerateFiles(MailDirectory, "*.eml"))
        {
            mails.Add(_parsed.GetOrAdd(file, static path =>
            {
                var message = MimeMessage.Load(path);
                return new SinkMail(path, message.MessageId ?? "", message.To.Mailboxes.Single().Address,
                    message.Headers["X-EspacePro-Kind"] ?? "", message.TextBody ?? "");
            }));
        }
        return mails;
    }

    /// <summary>Waits for the first mail to <paramref name="to"/>.</summary>
    public async Task<SinkMail> MailToAsync(string to)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            if (Mail().FirstOrDefault(m => m.To == to) is { } mail)
            {
                return mail;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No mail to {to} after 30 s");
    }

    public async Task<T> DbAsync<T>(Func<EspaceProDbContext, Task<T>> work)
    {
        var options = new DbContextOptionsBuilder<EspaceProDbContext>()
            .UseNpgsql(ConnectionString, o => o.MigrationsAssembly("EspacePro.Migrations.PostgreSQL"))
            .Options;
        await using var db = new EspaceProDbContext(options);
        return await work(db);
    }

    /// <summary>A connection string to a new, empty database of the same server (dropped with the cluster's).</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "espacepro_cluster_" + Guid.NewGuid().ToString("N")[..12];
        await CreateDatabaseAsync(name);
        _extraDatabases.Add(name);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    private readonly List<string> _extraDatabases = [];

    /// <summary>Drops the databases made by <see cref="NewDatabaseAsync"/>.</summary>
    public async Task DropExtraDatabasesAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _extraDatabases)
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        _extraDatabases.Clear();
    }

    private string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(_server ?? ConnectionString) { Database = "postgres" }.ConnectionString;

    private async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    private static int FreePort(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A port free on both addresses (the two nodes listen on the same one).</summary>
    private static int FreePortOnBoth(IPAddress first, IPAddress second)
    {
        for (var tries = 0; ; tries++)
        {
            var port = FreePort(first);
            try
            {
                var listener = new TcpListener(second, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException) when (tries < 20)
            {
            }
        }
    }
}
