namespace EspacePro.Web.Accounts;

/// <summary>
/// Section "Retention": how long each kind of personal data is kept once it has served, enforced
/// by <see cref="Housekeeping"/> and listed on « Données personnelles » from these same values.
/// The defaults and their reasons are in the README's configuration table.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>The security journal (logins, changes, resets, downloads), counted from each event.</summary>
    public TimeSpan AuditEvents { get; set; } = TimeSpan.FromDays(365);

    /// <summary>« Mot de passe oublié » requests, counted from the request (a link lives one hour).</summary>
    public TimeSpan PasswordResets { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Pending login e-mails once used, voided or lapsed, counted from their lapse date or closing.</summary>
    public TimeSpan PendingEmailChanges { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Outbox rows (recipient, subject, body) once sent or given up, counted from sending or creation.</summary>
    public TimeSpan SentMail { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Password-expiry reminder rows, counted from the end of the validity they warned about.</summary>
    public TimeSpan ExpiryReminders { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Captchas, counted from their expiry (they are single use and live minutes).</summary>
    public TimeSpan Captchas { get; set; } = TimeSpan.Zero;

    /// <summary>Login throttle rows (an e-mail or an address and its failures), counted from the last failure.</summary>
    public TimeSpan LoginThrottles { get; set; } = LoginThrottler.ForgetAfter;

    /// <summary>Rows deleted per statement, so that a large purge never holds long locks.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>The checks run at start: a message naming the key for each bad value.</summary>
    public IEnumerable<string> Errors()
    {
        foreach (var (name, value, minimum) in new[]
        {
            (nameof(AuditEvents), AuditEvents, TimeSpan.FromDays(1)),
            (nameof(PasswordResets), PasswordResets, TimeSpan.FromDays(1)),
            (nameof(PendingEmailChanges), PendingEmailChanges, TimeSpan.Zero),
            (nameof(SentMail), SentMail, TimeSpan.Zero),
            (nameof(ExpiryReminders), ExpiryReminders, TimeSpan.Zero),
            (nameof(Captchas), Captchas, TimeSpan.Zero),
            // Shorter would forget failures the throttle still counts.
            (nameof(LoginThrottles), LoginThrottles, LoginThrottler.ForgetAfter),
        })
        {
            if (value < minimum || value > TimeSpan.FromDays(3650))
            {
                yield return $"Retention:{name} must be between {minimum:c} and 3650.00:00:00.";
            }
        }
        if (BatchSize is < 1 or > 100_000)
        {
            yield return "Retention:BatchSize must be between 1 and 100000.";
        }
    }
}

/// <summary>Stops the application at start with a message naming each bad key.</summary>
public sealed class RetentionOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RetentionOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = options.Errors().ToList();
        return errors.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
