using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>
/// What a node last read of a session, kept for <c>Security:SessionCheckCache</c> (default 5 s)
/// so that a burst of requests of one session (a page, its redirects, a user clicking through)
/// costs one database read instead of one each. The timeouts are still checked on every request
/// against the clock. A session closed on this node is forgotten at once: sessions are only
/// closed through <see cref="AccountSessions"/>, and changes to a space only saved through the
/// context, whose <see cref="AccountChangeInterceptor"/> sees them; both forget here with
/// <see cref="ForgetAccount(DbContext, Guid)"/>. A session closed on another node is refused here
/// when the entry expires, so within that delay at most.
/// A cookie whose security stamp differs from the entry's is never refused on the entry's word:
/// the database decides.
/// It also keeps, for the same delay, the space as the read-only pages show it (home, folders)
/// and its live change of login e-mail (the home page's banner), forgotten the same way: a save
/// that adds a pending change is seen by the interceptor, and the pages that update one in SQL
/// (resend, cancel, a voiding try) forget the space themselves.
/// </summary>
public sealed class SessionCheckCache(TimeProvider time, IOptions<SessionCheckOptions> options)
{
    /// <summary>The columns a session check reads.</summary>
    public sealed record Entry(
        Guid AccountId,
        string? SecurityStamp,
        DateTimeOffset CreatedAt,
        DateTimeOffset LastSeenAt,
        DateTimeOffset? RevokedAt,
        DateOnly PasswordValidUntil,
        DateTimeOffset ReadAt);

    /// <summary>Above this many entries, expired ones are swept before adding.</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly ConcurrentDictionary<Guid, (string? Stamp, EspacePro.Data.Account Space, DateTimeOffset ReadAt)> _accounts = new();
    private readonly ConcurrentDictionary<Guid, (EspacePro.Data.PendingEmailChange? Pending, DateTimeOffset ReadAt)> _pendingChanges = new();

    public TimeSpan Lifetime { get; } = options.Value.SessionCheckCache;

    public bool TryGet(Guid sessionId, out Entry entry)
    {
        if (Lifetime > TimeSpan.Zero && _entries.TryGetValue(sessionId, out entry!)
            && time.GetUtcNow() - entry.ReadAt < Lifetime)
        {
            return true;
        }
        entry = default!;
        return false;
    }

    public void Set(Guid sessionId, Entry entry)
    {
        if (Lifetime <= TimeSpan.Zero)
        {
            return;
        }
        SweepIfLarge(_entries, e => e.ReadAt);
        _entries[sessionId] = entry;
    }

    /// <summary>The space read for a cookie with this security stamp, if read lately. Never modify it.</summary>
    public bool TryGetAccount(Guid accountId, string? stamp, out EspacePro.Data.Account space)
    {
        if (Lifetime > TimeSpan.Zero && _accounts.TryGetValue(accountId, out var entry)
            && entry.Stamp == stamp && time.GetUtcNow() - entry.ReadAt < Lifetime)
        {
            space = entry.Space;
            return true;
        }
        space = default!;
        return false;
    }

    public void SetAccount(EspacePro.Data.Account space, DateTimeOffset readAt)
    {
        if (Lifetime <= TimeSpan.Zero)
        {
            return;
        }
        SweepIfLarge(_accounts, e => e.ReadAt);
        _accounts[space.Id] = (space.SecurityStamp, space, readAt);
    }

    /// <summary>The space's live change of login e-mail (null: none) if read lately. Never modify it.</summary>
    public bool TryGetPendingEmailChange(Guid accountId, out EspacePro.Data.PendingEmailChange? pending)
    {
        if (Lifetime > TimeSpan.Zero && _pendingChanges.TryGetValue(accountId, out var entry)
            && time.GetUtcNow() - entry.ReadAt < Lifetime)
        {
            pending = entry.Pending;
            return true;
        }
        pending = null;
        return false;
    }

    public void SetPendingEmailChange(Guid accountId, EspacePro.Data.PendingEmailChange? pending, DateTimeOffset readAt)
    {
        if (Lifetime <= TimeSpan.Zero)
        {
            return;
        }
        SweepIfLarge(_pendingChanges, e => e.ReadAt);
        _pendingChanges[accountId] = (pending, readAt);
    }

    /// <summary>Above <see cref="SweepAbove"/> entries, drops the expired ones before adding.</summary>
    private void SweepIfLarge<T>(ConcurrentDictionary<Guid, T> entries, Func<T, DateTimeOffset> readAt)
    {
        if (entries.Count <= SweepAbove)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var (id, old) in entries)
        {
            if (now - readAt(old) >= Lifetime)
            {
                entries.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Forgets every space read: a change this node cannot attribute to one space.</summary>
    public void ForgetAllAccounts()
    {
        _accounts.Clear();
        _pendingChanges.Clear();
    }

    /// <summary>Forgets every session of a space and the space itself: call it when sessions are closed, its stamp or its data change.</summary>
    public void ForgetAccount(Guid accountId)
    {
        _accounts.TryRemove(accountId, out _);
        _pendingChanges.TryRemove(accountId, out _);
        foreach (var (id, entry) in _entries)
        {
            if (entry.AccountId == accountId)
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    public void Forget(Guid sessionId) => _entries.TryRemove(sessionId, out _);

    /// <summary>
    /// Forgets the space now and, when <paramref name="db"/> has a transaction open, once more
    /// when it ends: a read racing the transaction sees the old rows and could cache them again.
    /// </summary>
    public void ForgetAccount(DbContext db, Guid accountId)
    {
        ForgetAccount(accountId);
        if (db.Database.CurrentTransaction is not null)
        {
            lock (_afterTransaction)
            {
                _afterTransaction.GetOrCreateValue(db).Accounts.Add(accountId);
            }
        }
    }

    /// <summary>Forgets every space read, now and when the open transaction of <paramref name="db"/> ends.</summary>
    public void ForgetAllAccounts(DbContext db)
    {
        ForgetAllAccounts();
        if (db.Database.CurrentTransaction is not null)
        {
            lock (_afterTransaction)
            {
                _afterTransaction.GetOrCreateValue(db).AllAccounts = true;
            }
        }
    }

    /// <summary>Called by <see cref="SessionCacheTransactionInterceptor"/> when a transaction commits or rolls back.</summary>
    internal void TransactionEnded(DbContext db)
    {
        Pending? pending;
        lock (_afterTransaction)
        {
            if (!_afterTransaction.TryGetValue(db, out pending))
            {
                return;
            }
            _afterTransaction.Remove(db);
        }
        if (pending.AllAccounts)
        {
            ForgetAllAccounts();
        }
        foreach (var id in pending.Accounts)
        {
            ForgetAccount(id);
        }
    }

    /// <summary>What each context's open transaction has changed, to forget again when it ends.</summary>
    private readonly ConditionalWeakTable<DbContext, Pending> _afterTransaction = [];

    private sealed class Pending
    {
        public HashSet<Guid> Accounts { get; } = [];
        public bool AllAccounts { get; set; }
    }
}
