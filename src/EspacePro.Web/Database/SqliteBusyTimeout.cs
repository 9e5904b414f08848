using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EspacePro.Web.Database;

/// <summary>
/// SQLite has one writer at a time. When a second request wants to write (a login's
/// <c>BEGIN IMMEDIATE</c> while another login commits), SQLite answers "busy" at once unless the
/// connection has a busy timeout; Microsoft.Data.Sqlite then retries after a fixed 150 ms sleep
/// that blocks a thread-pool thread, even though the lock is held for a millisecond or two. With
/// a busy timeout SQLite itself waits for the lock, in steps of 1, 2, 5, 10 ms and so on, so the
/// waiter goes on almost as soon as the writer commits. It is set on every opened connection
/// (pooled connections keep it; setting it again is free) to the connection's command timeout.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            var milliseconds = (int)Math.Min(int.MaxValue, sqlite.DefaultTimeout * 1000L);
            SQLitePCL.raw.sqlite3_busy_timeout(handle, milliseconds);
        }
    }
}
