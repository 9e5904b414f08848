using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Data;

public sealed class ClusterLocksTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_job_runs_on_one_node_at_a_time_and_its_lock_is_free_again_afterwards(string provider)
    {
        await using var app = new TestApp(provider);
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = ClusterLocks.TryRunAsync(scopes, ClusterLocks.Housekeeping, async _ =>
        {
            inside.SetResult();
            await release.Task;
        }, Cancel);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        // A second node (another connection) while the first still runs.
        var ranMeanwhile = false;
        var second = await ClusterLocks.TryRunAsync(scopes, ClusterLocks.Housekeeping, _ =>
        {
            ranMeanwhile = true;
            return Task.CompletedTask;
        }, Cancel);
        release.SetResult();

        Assert.True(await first);
        // SQLite has one node: nothing to share, the job runs.
        Assert.Equal(provider == "Sqlite", second);
        Assert.Equal(provider == "Sqlite", ranMeanwhile);
        // Released, although the connection went back to the pool without a reset.
        if (provider == "PostgreSQL")
        {
            Assert.Equal(0, await app.DbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                .SingleAsync(Cancel)));
        }
        Assert.True(await ClusterLocks.TryRunAsync(scopes, ClusterLocks.Housekeeping, _ => Task.CompletedTask, Cancel));
    }
}
