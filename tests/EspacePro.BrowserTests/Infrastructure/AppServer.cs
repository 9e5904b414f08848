using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EspacePro.Data;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// The real application, as built by <c>dotnet build</c> (src/EspacePro.Web/bin/&lt;Configuration&gt;),
/// started as a separate process in environment "Testing" (strict cookies, HSTS, JSON logs: no
/// Development shortcut) on a free loopback port over HTTPS, with its own SQLite file and mail
/// folder. Mail goes to .eml files that the browser reads on /dev/courriels, like a developer.
/// Set <c>ESPACEPRO_WEB_DLL</c> to run another build of it (a Release publish, for instance).
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<AppServer, bool> Running = new();
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<string> _tail = new();
    private bool _closed;

    static AppServer()
    {
        // A test host that dies must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Running.Keys)
            {
                server.Kill();
            }
        };
    }

    private AppServer(string name, Uri baseUrl, string dataDirectory, Process process, StreamWriter log)
    {
        Name = name;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    /// <summary>https://127.0.0.1:PORT/, also the app's App:PublicBaseUrl (links in e-mails).</summary>
    public Uri BaseUrl { get; }

    public string DataDirectory { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "espacepro.db");
    public string MailDirectory => Path.Combine(DataDirectory, "mail");

    public static string WebDll =>
        Environment.GetEnvironmentVariable("ESPACEPRO_WEB_DLL") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            // Same configuration and framework as this test assembly: bin/<Configuration>/<tfm>/.
            : Path.Combine(RepoPaths.WebProject, "bin",
                new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name,
                new DirectoryInfo(AppContext.BaseDirectory).Name,
                "EspacePro.Web.dll");

    /// <summary>
    /// Starts a fresh instance: empty database with the three demo spaces, captcha off (unless
    /// <paramref name="settings"/> says otherwise), mail to a folder shown on /dev/courriels.
    /// </summary>
    public static async Task<AppServer> StartAsync(string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (!File.Exists(WebDll))
        {
            throw new InvalidOperationException($"The application is not built: {WebDll} is missing. Run `dotnet build` first.");
        }
        Exception? last = null;
        // A free port can be taken by someone else between the probe and Kestrel's bind: retry.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                return await StartOnceAsync(name, FreePort(), settings);
            }
            catch (AddressInUseException error)
            {
                last = error;
            }
        }
        throw last!;
    }

    private static async Task<AppServer> StartOnceAsync(string name, int port, IReadOnlyDictionary<string, string?>? overrides)
    {
        var slug = Artifacts.Slug(name);
        var dataDirectory = Directory.CreateDirectory(Path.Combine(Artifacts.TempRoot, $"{slug}-{port}")).FullName;
        var baseUrl = new Uri($"https://127.0.0.1:{port}/");
        var certificate = TestCertificate.Instance;
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{port}",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificate.PfxPath,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = certificate.Password,
            ["DataProtection:CertificatePath"] = TestCertificate.KeyProtection.PfxPath,
            ["DataProtection:CertificatePassword"] = TestCertificate.KeyProtection.Password,
            ["App:PublicBaseUrl"] = baseUrl.ToString(),
            ["App:DataDirectory"] = dataDirectory,
            ["ConnectionStrings:EspacePro"] = $"Data Source={Path.Combine(dataDirectory, "espacepro.db")}",
            ["Database:Provider"] = "Sqlite",
            ["Mail:Delivery"] = "Directory",
            ["Mail:Directory"] = Path.Combine(dataDirectory, "mail"),
            ["Mail:ShowDevPage"] = "true",
            ["Mail:PollInterval"] = "00:00:00.200",
            // The demo space whose password expires in 20 days would get its reminder at start;
            // the walkthroughs read only the mail their own flow sends.
            ["Password:BackgroundReminders"] = "false",
            ["Captcha:Enabled"] = "false",
            // The suite's browsers all come from 127.0.0.1, faster than any person.
            ["RateLimit:Enabled"] = "false",
            ["DemoData:Enabled"] = "true",
            ["Ui:DemoBanner"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var start = new ProcessStartInfo(DotNetHost())
        {
            WorkingDirectory = RepoPaths.WebProject,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(WebDll);
        // What the machine or the test runner may have set must not leak into the app.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS",
                     "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_HOSTINGSTARTUPASSEMBLIES" })
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        // node_modules (DSFR, fonts, dictionaries) and wwwroot are read from the project folder.
        start.Environment["ASPNETCORE_CONTENTROOT"] = RepoPaths.WebProject;
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Directory.CreateDirectory(Artifacts.AppLogs);
        var log = new StreamWriter(Path.Combine(Artifacts.AppLogs, $"{slug}-{port}.log")) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new AppServer(name, baseUrl, dataDirectory, process, log);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {start.FileName} {WebDll}.");
        }
        Running[server] = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilReadyAsync(certificate.Thumbprint);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Reads the app's database directly (the captcha answer, for instance).</summary>
    public async Task<T> DbAsync<T>(Func<EspaceProDbContext, Task<T>> work)
    {
        var options = new DbContextOptionsBuilder<EspaceProDbContext>()
            .UseSqlite($"Data Source={DatabasePath};Pooling=False")
            .Options;
        await using var db = new EspaceProDbContext(options);
        return await work(db);
    }

    /// <summary>The last lines the app printed, for failure messages.</summary>
    public string LogTail => string.Join(Environment.NewLine, _tail);

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
        _tail.Enqueue(line);
        while (_tail.Count > 40 && _tail.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync(string thumbprint)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                var tail = LogTail;
                if (tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new AddressInUseException(BaseUrl);
                }
                throw new InvalidOperationException(
                    $"The application exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{tail}");
            }
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The application was not ready at {BaseUrl} after {StartTimeout.TotalSeconds} s.{Environment.NewLine}{LogTail}");
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(this, out _);
        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Reported by the log; the OS reaps it.
        }
        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host that runs this test process, so that both use the same runtimes.</summary>
    private static string DotNetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private sealed class AddressInUseException(Uri url) : Exception($"{url} was taken before the application could bind it.");
}
