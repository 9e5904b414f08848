using System.Data.Common;
using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EspacePro.Tests.Data;

/// <summary>
/// The database fails under a request: on SQLite its disk is full (the file may not grow by a
/// page), on PostgreSQL every connection is cut as a server restart does. The change asked for
/// answers the French 503 page and leaves nothing of itself; pages that only read are served;
/// once the database is back the same change goes through and the file is sound.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_change_the_database_cannot_store_answers_the_French_503_page_and_keeps_nothing_of_itself(string provider)
    {
        var folder = Directory.CreateTempSubdirectory("espacepro-outage-");
        var disk = new FullDisk();
        var settings = new Dictionary<string, string?>();
        if (provider == "Sqlite")
        {
            settings["ConnectionStrings:EspacePro"] = $"Data Source={Path.Combine(folder.FullName, "espacepro.db")}";
        }
        try
        {
            await using var app = new TestApp(provider, settings)
            {
                ExtraServices = services => services.ConfigureDbContext<EspacePro.Data.EspaceProDbContext>(o => o.AddInterceptors(disk)),
            };
            using var user = app.NewUser();
            await user.LoginAsync(Users.Lila);
            var form = await user.OpenAsync();
            var mailsBefore = await app.DbAsync(db => db.Outbox.CountAsync(Cancel));

            if (provider == "Sqlite")
            {
                // No free page left inside the file, and the file may not grow: a full disk.
                await app.DbAsync(db => db.Database.ExecuteSqlRawAsync("VACUUM", Cancel));
                disk.Full = true;
            }
            else
            {
                await CutConnectionsAsync(app.ConnectionString);
            }
            var refused = await user.SubmitIdentifiersAsync(form, newPassword: Identifiers.NewPassword);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
            Assert.Equal("Service momentanément indisponible", refused.Document.QuerySelector("h1")?.TextContent);
            Assert.Contains("Aucune modification partielle n'a été enregistrée", refused.Text);
            Assert.Equal("5", refused.Response.Headers.RetryAfter?.ToString());
            // Reads go on: the home page and the form, in the same session.
            Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/", follow: false)).Status);
            form = await user.OpenAsync();
            Assert.Equal(HttpStatusCode.OK, form.Status);

            disk.Full = false;
            // Nothing of the refused change: the old password still opens the space, no mail queued.
            Assert.Equal(mailsBefore, await app.DbAsync(db => db.Outbox.CountAsync(Cancel)));
            using (var other = app.NewUser())
            {
                Assert.Equal("/", (await other.LoginAsync(Users.Lila)).Url.AbsolutePath);
            }
            if (provider == "Sqlite")
            {
                var check = await app.DbAsync(db => db.Database.SqlQueryRaw<string>("SELECT integrity_check AS Value FROM pragma_integrity_check()").ToListAsync(Cancel));
                Assert.Equal(["ok"], check);
            }
            var saved = await user.SubmitIdentifiersAsync(form, newPassword: Identifiers.NewPassword);
            Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>What a restart of the server does to the application's open connections.</summary>
    private static async Task CutConnectionsAsync(string connectionString)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(Cancel);
        await using var cut = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            connection);
        Assert.True((long)(await cut.ExecuteScalarAsync(Cancel))! > 0, "the application had no connection open");
    }

    /// <summary>
    /// A full disk for SQLite without mounting one: while <see cref="Full"/>, every connection the
    /// application opens may not make the file a page longer (SQLite then fails with SQLITE_FULL,
    /// as on a full disk); afterwards the limit goes back to SQLite's own.
    /// </summary>
    private sealed class FullDisk : DbConnectionInterceptor
    {
        public volatile bool Full;

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (connection is not SqliteConnection)
            {
                return;
            }
            await using var command = connection.CreateCommand();
            // SQLite keeps the limit at no less than the file's current size.
            command.CommandText = Full ? "PRAGMA max_page_count = 1" : "PRAGMA max_page_count = 4294967294";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            ConnectionOpenedAsync(connection, eventData).GetAwaiter().GetResult();
    }
}
