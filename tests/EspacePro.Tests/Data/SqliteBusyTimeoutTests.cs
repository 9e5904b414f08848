using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Data;

public sealed class SqliteBusyTimeoutTests
{
    [Fact]
    public async Task Every_connection_the_app_opens_waits_for_the_writer_instead_of_sleeping_150_ms()
    {
        var folder = Directory.CreateTempSubdirectory("espacepro-busy-");
        try
        {
            await using var app = new TestApp(settings: new Dictionary<string, string?>
            {
                ["ConnectionStrings:EspacePro"] = $"Data Source={Path.Combine(folder.FullName, "espacepro.db")}",
            });
            _ = app.Services;

            // Twice: the second open takes the pooled connection back, and must keep the timeout.
            for (var i = 0; i < 2; i++)
            {
                var timeout = await app.DbAsync(async db =>
                {
                    await db.Database.OpenConnectionAsync();
                    try
                    {
                        await using var command = db.Database.GetDbConnection().CreateCommand();
                        command.CommandText = "PRAGMA busy_timeout";
                        return Convert.ToInt64(await command.ExecuteScalarAsync());
                    }
                    finally
                    {
                        await db.Database.CloseConnectionAsync();
                    }
                });
                Assert.Equal(30_000, timeout);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
