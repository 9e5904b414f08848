using EspacePro.Data;
using EspacePro.Web.Demo;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Database;

/// <summary>The node cannot start: its database lacks migrations and it may not apply them.</summary>
public sealed class DatabaseNotMigratedException(string message) : Exception(message);

/// <summary>
/// What a node does to its database before it serves: migrations (unless
/// Database:MigrateOnStart is false), the first data-protection key, the demo spaces. On
/// PostgreSQL the whole step holds an advisory lock, so nodes starting together on an empty
/// database run the migrations once and agree on one key instead of each making its own
/// (cookies protected by one node's key would be unreadable on the other until its key ring
/// refreshed).
/// </summary>
public static class DatabaseStartup
{
    /// <summary>The command-line switch that applies the migrations and exits.</summary>
    public const string MigrateOnlySwitch = "--migrate-only";

    private static bool MigrateOnStart(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart;

    /// <summary>Prepares the database at a node's start; throws <see cref="DatabaseNotMigratedException"/> when it cannot serve.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        if (MigrateOnStart(app.Services))
        {
            await CreateDatabaseAsync(app.Services);
        }
        await ClusterLocks.RunExclusiveAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), ClusterLocks.Startup, async cancellationToken =>
        {
            if (MigrateOnStart(app.Services))
            {
                await MigrateAsync(app.Services, cancellationToken);
            }
            else
            {
                await RequireMigratedAsync(app.Services, cancellationToken);
            }
            EnsureDataProtectionKey(app.Services);
            if (DemoData.IsEnabled(app.Services.GetRequiredService<IOptions<DemoDataOptions>>().Value, app.Environment))
            {
                await DemoData.SeedAsync(app.Services);
            }
        }, CancellationToken.None);
    }

    /// <summary>The one-shot command: migrations and the first key, nothing served.</summary>
    public static async Task MigrateOnlyAsync(this WebApplication app)
    {
        await CreateDatabaseAsync(app.Services);
        await ClusterLocks.RunExclusiveAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), ClusterLocks.Startup, async cancellationToken =>
        {
            await MigrateAsync(app.Services, cancellationToken);
            EnsureDataProtectionKey(app.Services);
        }, CancellationToken.None);
    }

    /// <summary>
    /// Creates a missing PostgreSQL database (as the migrator would), before the start-up lock,
    /// which is taken in that database.
    /// </summary>
    private static async Task CreateDatabaseAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
        if (!db.Database.IsNpgsql())
        {
            return;
        }
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync())
        {
            return;
        }
        try
        {
            await creator.CreateAsync();
        }
        catch (Npgsql.PostgresException error) when (error.SqlState == Npgsql.PostgresErrorCodes.DuplicateDatabase)
        {
            // Another node created it first.
        }
    }

    private static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while a writer commits (writers wait for each other: SqliteBusyTimeout).
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
        if (await db.Database.CanConnectAsync(cancellationToken))
        {
            // The history table first: otherwise the migrator reads it before creating it, and
            // logs the failed read of a fresh database as an error.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }
        await db.Database.MigrateAsync(cancellationToken);
    }

    private static async Task RequireMigratedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new DatabaseNotMigratedException(
                $"The database lacks {pending.Count} migration(s) (first: {pending[0]}) and Database:MigrateOnStart is false. "
                + $"Apply them with `dotnet EspacePro.Web.dll {MigrateOnlySwitch}` (same configuration, a user allowed to change "
                + "the schema), then start the node again.");
        }
    }

    /// <summary>
    /// Creates the first data-protection key if there is no usable one. The key ring would make
    /// one on its first use anyway, but on each node at once.
    /// </summary>
    private static void EnsureDataProtectionKey(IServiceProvider services)
    {
        var keys = services.GetRequiredService<IKeyManager>();
        // The key ring's own clock: data protection reads the system time, not the injected
        // TimeProvider (a test's fake clock would date the key out of the ring's reach).
        var now = TimeProvider.System.GetUtcNow();
        var lifetime = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.NewKeyLifetime;
        // Two days' margin, as the key ring itself allows before it makes the next key.
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
        {
            keys.CreateNewKey(now, now + lifetime);
        }
    }
}
