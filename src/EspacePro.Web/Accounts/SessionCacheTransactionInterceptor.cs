using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Tells <see cref="SessionCheckCache"/> when a transaction ends, so that what it changed is
/// forgotten once more after the commit (or the rollback) rather than only before it.
/// </summary>
public sealed class SessionCacheTransactionInterceptor(SessionCheckCache cache) : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Ended(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Ended(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData);
        return Task.CompletedTask;
    }

    private void Ended(TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            cache.TransactionEnded(context);
        }
    }
}
