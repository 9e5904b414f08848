using System.Diagnostics;
using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EspacePro.Tests.Data;

public sealed class RequestTransactionsTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_request_transaction_saves_without_savepoints_and_a_failed_save_leaves_nothing_stored(string provider)
    {
        await using var app = new TestApp(provider);
        using var savepoints = new SavepointWatch();

        await app.DbAsync(async db =>
        {
            savepoints.Context = db;
            await using var transaction = await db.Database.BeginRequestTransactionAsync();
            db.LoginThrottles.Add(new LoginThrottle { Key = "e:first", Failures = 1 });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            // The same key again: the save fails on the primary key, as a lost race would.
            db.LoginThrottles.Add(new LoginThrottle { Key = "e:first", Failures = 2 });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            // The request ends here: the transaction is disposed without a commit.
        });

        Assert.Equal(0, savepoints.Count);
        Assert.Equal(0, await app.DbAsync(db => db.LoginThrottles.CountAsync(t => t.Key == "e:first")));
    }

    [Fact]
    public async Task A_pooled_context_gets_its_savepoints_back_for_the_next_request()
    {
        await using var app = new TestApp();
        await app.DbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginRequestTransactionAsync();
            Assert.False(db.Database.AutoSavepointsEnabled);
        });
        Assert.True(await app.DbAsync(db => Task.FromResult(db.Database.AutoSavepointsEnabled)));
    }

    /// <summary>Counts the savepoints EF Core creates for one context (its diagnostic events).</summary>
    private sealed class SavepointWatch : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _all;
        private readonly List<IDisposable> _listeners = [];
        private int _count;

        public SavepointWatch() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public DbContext? Context { get; set; }

        public int Count => Volatile.Read(ref _count);

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_listeners)
                {
                    _listeners.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CreatingTransactionSavepoint.Name
                && value.Value is TransactionEventData data && data.Context == Context && Context is not null)
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            lock (_listeners)
            {
                _listeners.ForEach(l => l.Dispose());
            }
        }
    }
}
