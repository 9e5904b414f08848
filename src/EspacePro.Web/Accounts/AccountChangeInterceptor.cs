using System.Runtime.CompilerServices;
using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Keeps <see cref="SessionCheckCache"/> honest on this node: a save that adds, changes or
/// removes a space, one of its companies or one of their services, or one of its pending changes
/// of login e-mail, forgets what was read of that space, before the save and again after it, or after its transaction when one is open (so a
/// read racing the save cannot outlive it).
/// </summary>
public sealed class AccountChangeInterceptor(SessionCheckCache cache) : SaveChangesInterceptor
{
    /// <summary>What each context's save in progress touches, from SavingChanges to SavedChanges.</summary>
    private readonly ConditionalWeakTable<DbContext, Touched> _saving = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Before(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Before(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        After(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        After(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is not null)
        {
            _saving.Remove(eventData.Context);
        }
    }

    private void Before(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var touched = new Touched();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }
            switch (entry.Entity)
            {
                case Account account:
                    touched.Accounts.Add(account.Id);
                    break;
                case CompanyFile company:
                    touched.Accounts.Add(company.AccountId);
                    break;
                case PendingEmailChange pending:
                    touched.Accounts.Add(pending.AccountId);
                    break;
                case ServiceGrant:
                    touched.All = true;
                    break;
            }
        }
        if (touched.All || touched.Accounts.Count > 0)
        {
            touched.ForgetIn(cache, context);
            _saving.AddOrUpdate(context, touched);
        }
    }

    private void After(DbContext? context)
    {
        if (context is not null && _saving.TryGetValue(context, out var touched))
        {
            _saving.Remove(context);
            touched.ForgetIn(cache, context);
        }
    }

    private sealed class Touched
    {
        public HashSet<Guid> Accounts { get; } = [];
        public bool All { get; set; }

        public void ForgetIn(SessionCheckCache cache, DbContext context)
        {
            if (All)
            {
                cache.ForgetAllAccounts(context);
            }
            foreach (var id in Accounts)
            {
                cache.ForgetAccount(context, id);
            }
        }
    }
}
