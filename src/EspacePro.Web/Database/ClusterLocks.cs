using System.Data;
using System.Data.Common;
using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EspacePro.Web.Database;

/// <summary>
/// One node at a time for work that every node runs: PostgreSQL advisory locks, held by a
/// session, so a node that dies frees its lock with its connection. On SQLite there is one node
/// and the work simply runs.
/// </summary>
public static class ClusterLocks
{
    // Fixed keys, one per job; the high half spells "EsPr" so they cannot clash with another
    // application's locks on a shared server by chance.
    public const long Startup = 0x4573_5072_0000_0001;
    public const long ExpiryReminders = 0x4573_5072_0000_0002;
    public const long Housekeeping = 0x4573_5072_0000_0003;

    private const int WaitTimeoutSeconds = 600;

    /// <summary>
    /// Runs <paramref name="work"/> unless another node is running the same job: then returns
    /// false at once, and that node's run covers this one.
    /// </summary>
    public static Task<bool> TryRunAsync(IServiceScopeFactory scopes, long key, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(scopes, key, wait: false, work, cancellationToken);

    /// <summary>Runs <paramref name="work"/> once every other node holding the lock has finished.</summary>
    public static Task RunExclusiveAsync(IServiceScopeFactory scopes, long key, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(scopes, key, wait: true, work, cancellationToken);

    private static async Task<bool> RunAsync(IServiceScopeFactory scopes, long key, bool wait, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
        if (!db.Database.IsNpgsql())
        {
            await work(cancellationToken);
            return true;
        }

        // A connection of its own, held for the whole job: the lock belongs to it.
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            if (wait)
            {
                // As long as another node's migrations may take, not the usual 30 s.
                await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", key, cancellationToken, WaitTimeoutSeconds);
            }
            else if (await ExecuteAsync(connection, "SELECT pg_try_advisory_lock(@key)", key, cancellationToken) is not true)
            {
                return false;
            }
            try
            {
                await work(cancellationToken);
                return true;
            }
            finally
            {
                await ReleaseAsync(connection, key);
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task ReleaseAsync(DbConnection connection, long key)
    {
        try
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", key, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The lock could not be released on this connection: it must not go back to the
            // pool still holding it (connections are returned without a reset).
            if (connection is NpgsqlConnection npgsql)
            {
                NpgsqlConnection.ClearPool(npgsql);
            }
            if (connection.State != ConnectionState.Closed)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static async Task<object?> ExecuteAsync(DbConnection connection, string sql, long key, CancellationToken cancellationToken, int timeoutSeconds = 30)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
