using EspacePro.Data;

namespace EspacePro.Web.Mail;

/// <summary>
/// The one entry point for sending mail: <c>mailer.Enqueue(new PasswordChangedEmail(…))</c>, then
/// the caller's own <c>SaveChangesAsync</c>. The mail is an outbox row written in the same
/// transaction as the change that causes it: a rolled-back change never sends a mail, and a
/// committed one never loses its mail for want of a mail server (<see cref="OutboxDispatcher"/>).
/// </summary>
public sealed class Mailer(EspaceProDbContext db, TimeProvider time, MailSignal signal, PublicLinks links) : IDisposable
{
    private bool _listening;

    /// <summary>Adds the mail to the unit of work, without saving.</summary>
    /// <exception cref="ArgumentException">The recipient is not a single deliverable address.</exception>
    public void Enqueue(Email message)
    {
        ArgumentNullException.ThrowIfNull(message);
        MailAddresses.EnsureDeliverable(message.To);
        if (message is SecurityNoticeEmail { ActivityLink: null } notice)
        {
            message = notice with { ActivityLink = links.To(SecurityNoticeEmail.ActivityPath) };
        }
        var now = time.GetUtcNow();
        db.Outbox.Add(new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            CreatedAt = now,
            Kind = message.Kind,
            To = message.To,
            Subject = message.Subject,
            TextBody = message.TextBody(),
            HtmlBody = message.HtmlBody(),
            NextAttemptAt = now,
        });
        if (!_listening)
        {
            // Wake the dispatcher once the caller has saved, not before: until then there is nothing to send.
            db.SavedChanges += OnSavedChanges;
            _listening = true;
        }
    }

    private void OnSavedChanges(object? sender, Microsoft.EntityFrameworkCore.SavedChangesEventArgs e) => signal.Raise();

    public void Dispose()
    {
        if (_listening)
        {
            // The context goes back to the pool: leave no handler on it.
            db.SavedChanges -= OnSavedChanges;
            _listening = false;
        }
    }
}

/// <summary>In-process nudge from <see cref="Mailer"/> to <see cref="OutboxDispatcher"/> after a save.</summary>
public sealed class MailSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Raise()
    {
        try
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already raised: one wake-up is enough.
        }
    }

    /// <summary>True when raised, false when <paramref name="timeout"/> (real time) passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
