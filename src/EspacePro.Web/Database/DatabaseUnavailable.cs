using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EspacePro.Web.Database;

/// <summary>
/// Tells a failure of the database itself (a server restarting or out of reach, a connection
/// cut, a SQLite disk full or unwritable) from a fault of the request: the first is answered
/// with 503 « Service momentanément indisponible », as the request's transaction rolled back
/// and trying again a little later will work.
/// </summary>
public static class DatabaseUnavailable
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
    private static readonly int[] SqliteOutages = [5, 6, 8, 10, 13, 14];

    // Shutting down or starting (57P01-57P03), and 55000, which is what a server answers a new
    // connection to a database closed to connections (ALLOW_CONNECTIONS false, as during
    // maintenance); the application has no other use of that state.
    private static readonly string[] ServerOutages = ["57P01", "57P02", "57P03", "55000"];

    public static bool Is(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException npgsql when npgsql.IsTransient:
                case PostgresException postgres when ServerOutages.Contains(postgres.SqlState) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal):
                case SqliteException sqlite when SqliteOutages.Contains(sqlite.SqliteErrorCode):
                case DbException { IsTransient: true }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// After a server restart every idle pooled connection is dead, and each would fail one more
    /// request: once one has failed, the idle ones are dropped and the next requests reconnect.
    /// </summary>
    public static void Recover(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException)
            {
                NpgsqlConnection.ClearAllPools();
                return;
            }
        }
    }
}
