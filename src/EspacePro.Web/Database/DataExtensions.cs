using EspacePro.Data;
using EspacePro.Web.Common;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EspacePro.Web.Database;

public static class DataExtensions
{
    private static readonly SqliteBusyTimeout SqliteBusyTimeout = new();

    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var provider = ReadProvider(builder.Configuration);
        var connectionString = builder.Configuration.GetConnectionString("EspacePro");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.PostgreSQL)
            {
                throw new InvalidOperationException(
                    "ConnectionStrings:EspacePro is required when Database:Provider is PostgreSQL.");
            }
            var dataDirectory = DataDirectory(builder.Configuration, builder.Environment);
            Directory.CreateDirectory(dataDirectory);
            connectionString = $"Data Source={Path.Combine(dataDirectory, "espacepro.db")}";
        }

        if (provider == DatabaseProvider.PostgreSQL)
        {
            connectionString = WithPostgresDefaults(connectionString);
        }

        // The provider and the folder are read above, before there are services; bound here too so
        // that every setting of the section is checked at start like the others.
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<Demo.DemoDataOptions>().BindConfiguration(Demo.DemoDataOptions.Section).ValidateOnStart();
        builder.Services.AddDbContextPool<EspaceProDbContext>((services, options) =>
        {
            // The modules that must see every save or transaction register an IInterceptor.
            options.AddInterceptors(services.GetServices<IInterceptor>());
            if (provider == DatabaseProvider.PostgreSQL)
            {
                options.UseNpgsql(connectionString, o => o.MigrationsAssembly("EspacePro.Migrations.PostgreSQL"));
            }
            else
            {
                options.UseSqlite(connectionString, o => o.MigrationsAssembly("EspacePro.Migrations.Sqlite"))
                    .AddInterceptors(SqliteBusyTimeout);
            }
        });
        // Keys in the database: every node reads the cookies the others wrote. Each key is
        // encrypted there with the operator's certificate (Security/KeyProtection.cs). New keys encrypt
        // with AES-256-GCM (one authenticated pass, through OpenSSL) rather than the default
        // AES-256-CBC followed by HMAC-SHA256: the anti-forgery tokens and the login cookie are
        // protected or read on nearly every request. Keys made before keep their algorithm.
        builder.Services.AddDataProtection().SetApplicationName("EspacePro").PersistKeysToDbContext<EspaceProDbContext>()
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            })
            .ProtectKeysWithConfiguredCertificate(builder.Configuration, builder.Environment);
        builder.Services.AddHealthChecks().AddDbContextCheck<EspaceProDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Two Npgsql settings added to the configured connection string unless it sets them itself:
    /// <c>Max Auto Prepare=64</c>, so that the few statements every request repeats are parsed
    /// and planned once per connection instead of each time (parsing was the PostgreSQL server's
    /// largest cost under a login load), and <c>No Reset On Close=true</c>, so that handing a
    /// connection back to the pool sends no <c>DISCARD ALL</c> (the application leaves no session
    /// state behind: no SET, temporary table, LISTEN or held advisory lock).
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!keys.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[$"{AppOptions.Section}:DataDirectory"] ?? "App_Data";
        return Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured));
    }

    private static DatabaseProvider ReadProvider(IConfiguration configuration)
    {
        var value = configuration[$"{DatabaseOptions.Section}:Provider"];
        if (string.IsNullOrEmpty(value))
        {
            return DatabaseProvider.Sqlite;
        }
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider must be Sqlite or PostgreSQL, not '{value}'.");
    }
}
