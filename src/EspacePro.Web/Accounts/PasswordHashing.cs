using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The one way requests hash or verify a secret. Hashes run on <c>Password:HashConcurrency</c>
/// dedicated threads (default: one per core), fed first come, first served; the rest queue. So
/// a login storm queues here instead of starving every other page: no thread-pool thread is
/// ever blocked by a hash (each Argon2id call holds one core and 19 MiB for ~20 ms, so the
/// threads also bound the memory hashing takes), and on
/// Linux the hashing threads run at a lower scheduling priority (<c>Password:HashNice</c>,
/// default 10), so that the kernel runs request threads first whenever they are ready, while
/// hashes still get every cycle the pages leave idle.
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    private readonly Argon2idPasswordHasher _hasher;
    private readonly BlockingCollection<WorkItem> _queue = new(new ConcurrentQueue<WorkItem>());
    private readonly Lazy<string> _dummyHash;
    private readonly int _nice;

    private readonly Observability.ServiceMetrics _metrics;

    public PasswordHashing(Argon2idPasswordHasher hasher, IOptions<PasswordOptions> options, Observability.ServiceMetrics metrics)
    {
        _hasher = hasher;
        _metrics = metrics;
        metrics.ObserveHashQueue(() => _queue.Count);
        _dummyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));
        // Both checked at start with the other password settings (PasswordOptions).
        Concurrency = options.Value.HashConcurrency;
        _nice = options.Value.HashNice;
        for (var i = 0; i < Concurrency; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"argon2id-{i}" }.Start();
        }
    }

    /// <summary>How many hashes run at once.</summary>
    public int Concurrency { get; }

    public Task<string> HashAsync(string secret, CancellationToken cancellationToken = default) =>
        RunAsync(() => _hasher.Hash(secret), cancellationToken);

    /// <summary>
    /// Verifies <paramref name="secret"/>; with no hash (unknown account, throttled login) a dummy
    /// hash is verified instead so that every answer costs the same time (docs/security.md R4).
    /// </summary>
    public Task<PasswordVerificationResult> VerifyAsync(string? encodedHash, string secret, CancellationToken cancellationToken = default) =>
        RunAsync(() =>
        {
            if (encodedHash is null)
            {
                _hasher.Verify(_dummyHash.Value, secret);
                return PasswordVerificationResult.Failed;
            }
            return _hasher.Verify(encodedHash, secret);
        }, cancellationToken);

    public async Task<bool> MatchesAsync(string? encodedHash, string secret, CancellationToken cancellationToken = default) =>
        await VerifyAsync(encodedHash, secret, cancellationToken) != PasswordVerificationResult.Failed;

    public void Dispose() => _queue.CompleteAdding();

    private Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var item = new WorkItem<T>(work, cancellationToken);
        _queue.Add(item, CancellationToken.None);
        return item.Task;
    }

    private void Work()
    {
        LowerPriority(_nice);
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (item.Run())
            {
                _metrics.PasswordHashed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>Best effort: Linux schedules threads as tasks, each with its own nice value.</summary>
    private static void LowerPriority(int nice)
    {
        if (nice == 0 || !OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            // Raising one's own nice value needs no privilege.
            _ = setpriority(PrioProcess, gettid(), nice);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    private const int PrioProcess = 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();

    private abstract class WorkItem
    {
        /// <summary>Runs the work unless its request went away; whether it ran.</summary>
        public abstract bool Run();
    }

    private sealed class WorkItem<T> : WorkItem
    {
        private readonly Func<T> _work;
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _registration;

        public WorkItem(Func<T> work, CancellationToken cancellationToken)
        {
            _work = work;
            _registration = cancellationToken.Register(static s => ((TaskCompletionSource<T>)s!).TrySetCanceled(), _completion);
        }

        public Task<T> Task => _completion.Task;

        public override bool Run()
        {
            _registration.Dispose();
            // A request that went away while queued costs no hash.
            if (_completion.Task.IsCompleted)
            {
                return false;
            }
            try
            {
                _completion.TrySetResult(_work());
            }
            catch (Exception error)
            {
                _completion.TrySetException(error);
            }
            return true;
        }
    }
}
