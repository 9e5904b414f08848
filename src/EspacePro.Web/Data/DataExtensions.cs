using EspacePro.Data;
using EspacePro.Web.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Data;

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

        builder.Services.AddSingleton<Accounts.SessionCheckCache>();
        builder.Services.AddSingleton<Accounts.SpaceChangeInterceptor>();
        builder.Services.AddDbContextPool<EspaceProDbContext>((services, options) =>
        {
            options.AddInterceptors(services.GetRequiredService<Accounts.SpaceChangeInterceptor>());
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
        // Keys in the database: every node reads the cookies the others wrote.
        builder.Services.AddDataProtection().SetApplicationName("EspacePro").PersistKeysToDbContext<EspaceProDbContext>();
        builder.Services.AddHealthChecks().AddDbContextCheck<EspaceProDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>Applies pending migrations; several nodes starting together are serialised by the database.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while a writer commits (writers wait for each other: SqliteBusyTimeout).
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync();
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
