using System.Net;
using EspacePro.Data;
using EspacePro.Web.Mail;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EspacePro.Tests.Infrastructure;

/// <summary>
/// The real application in memory (environment "Testing": strict cookies, no Development
/// shortcuts) on its own database: an in-memory SQLite kept open, or a fresh PostgreSQL
/// database when <c>ESPACEPRO_TEST_POSTGRES</c> is set. Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string PostgresVariable = "ESPACEPRO_TEST_POSTGRES";

    private readonly string _provider;
    private readonly Dictionary<string, string?> _settings;
    private readonly SqliteConnection? _keepAlive;
    private readonly string? _postgresDatabase;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 2, 23, 13, 52, 0, TimeSpan.Zero));

    /// <summary>What the app mailed; <c>await app.DeliverMailAsync()</c> delivers the outbox.</summary>
    public MailCapture Mail { get; } = new();

    /// <summary>What the app logged, at the levels the settings let through (Warning unless a test lowers it).</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Replacements a test makes in the app's services (e.g. one that fails), applied last.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    public string MailDirectory { get; } = Path.Combine(Path.GetTempPath(), "espacepro-mail-" + Guid.NewGuid().ToString("N"));

    static TestApp()
    {
        // Hundreds of short-lived hosts: no file watcher each (inotify instances are limited).
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "1");
    }

    private readonly string _environment;

    public TestApp(string provider = "Sqlite", IDictionary<string, string?>? settings = null, string environment = "Testing")
    {
        _provider = provider;
        _environment = environment;
        _settings = new()
        {
            ["Database:Provider"] = provider,
            ["Captcha:Enabled"] = "false",
            // Tests of other flows log in with the password alone; LoginCodeTests turn the code on.
            ["Security:LoginCode:Enabled"] = "false",
            // Every test's users share one client address; the rate-limit tests turn it on.
            ["RateLimit:Enabled"] = "false",
            ["DemoData:Enabled"] = "true",
            ["App:PublicBaseUrl"] = "https://espacepro.test",
            ["Ui:DemoBanner"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            // Tests deliver the outbox themselves (DeliverMailAsync), to a folder of their own.
            ["Mail:Delivery"] = "Directory",
            ["Mail:Directory"] = MailDirectory,
            ["Mail:BackgroundDispatch"] = "false",
            ["Mail:ShowDevPage"] = "true",
            ["App:BackgroundHousekeeping"] = "false",
            ["Password:BackgroundReminders"] = "false",
            // The keys are encrypted at rest in every test, as in production.
            ["DataProtection:CertificatePath"] = KeyCertificates.First.Path,
            ["DataProtection:CertificatePassword"] = KeyCertificates.First.Password,
        };
        if (provider == "PostgreSQL")
        {
            var server = Environment.GetEnvironmentVariable(PostgresVariable)
                ?? throw new InvalidOperationException($"{PostgresVariable} is not set.");
            _postgresDatabase = "espacepro_test_" + Guid.NewGuid().ToString("N")[..12];
            _settings["ConnectionStrings:EspacePro"] = new NpgsqlConnectionStringBuilder(server) { Database = _postgresDatabase }.ConnectionString;
        }
        else
        {
            var connectionString = $"Data Source=espacepro-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
            _keepAlive = new SqliteConnection(connectionString);
            _keepAlive.Open();
            _settings["ConnectionStrings:EspacePro"] = connectionString;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string Provider => _provider;

    /// <summary>The database's connection string, for a second node on the same database.</summary>
    public string ConnectionString => _settings["ConnectionStrings:EspacePro"]!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // UseSetting, not ConfigureAppConfiguration: Program reads some keys before Build().
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IMailDelivery>(sp => Mail.ForwardingTo(MailExtensions.ConfiguredDelivery(sp)));
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            ExtraServices?.Invoke(services);
        });
    }

    /// <summary>A client that keeps cookies, does not follow redirects and talks https.</summary>
    public UserAgent NewUser() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    }));

    /// <summary>
    /// A client whose requests reach the app from <paramref name="peer"/> (read per request, so a
    /// test can change it), as Kestrel would see a balancer or a client on the network. With
    /// <paramref name="terminatedTls"/> the app sees plain http, as behind a balancer that ends
    /// TLS; the client itself still talks https, so it keeps and sends the Secure cookies.
    /// </summary>
    public UserAgent NewUserFrom(Func<IPAddress> peer, bool terminatedTls = false)
    {
        var server = Server.CreateHandler(context =>
        {
            context.Connection.RemoteIpAddress = peer();
            if (terminatedTls)
            {
                context.Request.Scheme = "http";
            }
        });
        return new(new HttpClient(new CookieContainerHandler { InnerHandler = server }) { BaseAddress = new Uri("https://localhost") });
    }

    /// <summary>A browser whose cookie jar the test holds, to replay or forge a cookie.</summary>
    public UserAgent NewUser(CookieContainer cookies) =>
        new(CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(cookies)));

    /// <summary>Runs <paramref name="work"/> against the app's database, in its own scope.</summary>
    public async Task<T> DbAsync<T>(Func<EspaceProDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<EspaceProDbContext>());
    }

    public Task DbAsync(Func<EspaceProDbContext, Task> work) =>
        DbAsync(async db => { await work(db); return true; });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_keepAlive is not null)
        {
            await _keepAlive.DisposeAsync();
        }
        if (Directory.Exists(MailDirectory))
        {
            Directory.Delete(MailDirectory, recursive: true);
        }
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var server = Environment.GetEnvironmentVariable(PostgresVariable)!;
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>
/// The databases data tests run on: SQLite always; PostgreSQL when configured, and always in CI
/// (where a missing server fails the run instead of skipping it).
/// </summary>
public static class Databases
{
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { "Sqlite" };
            if (Environment.GetEnvironmentVariable(TestApp.PostgresVariable) is not null
                || Environment.GetEnvironmentVariable("CI") == "true")
            {
                data.Add("PostgreSQL");
            }
            return data;
        }
    }
}
