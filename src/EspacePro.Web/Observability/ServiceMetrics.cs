using System.Diagnostics.Metrics;
using EspacePro.Data;
using EspacePro.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Observability;

/// <summary>
/// The service's own measures, in one place (meter "EspacePro"): what an operator watches and
/// alerts on. Other features call one method each, with ids or kinds, never a secret. Scraped
/// at /metrics (Prometheus names: dots become underscores, counters end in _total, durations in
/// _seconds) and sent over OTLP when configured.
/// </summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "EspacePro";

    private static readonly string ActivationCodeKind = nameof(ActivationCodeEmail)[..^"Email".Length];
    private static readonly TimeSpan BacklogCacheFor = TimeSpan.FromSeconds(1);

    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<MailOptions> _mail;
    private readonly TimeProvider _time;
    private readonly Counter<long> _logins;
    private readonly Histogram<double> _hashDuration;
    private readonly Counter<long> _mailsSent;
    private readonly Counter<long> _mailsGivenUp;
    private readonly Counter<long> _activationCodesSent;
    private readonly Counter<long> _activationCodesUsed;
    private readonly Counter<long> _captchaFailures;
    private readonly Counter<long> _rateLimitRefusals;
    private readonly Counter<long> _securityEvents;
    private readonly Lock _backlogLock = new();
    private (DateTimeOffset At, long Count, double OldestAgeSeconds)? _backlog;
    private Func<int>? _hashQueue;

    public ServiceMetrics(IMeterFactory meters, IServiceScopeFactory scopes, IOptions<MailOptions> mail, TimeProvider time)
    {
        _scopes = scopes;
        _mail = mail;
        _time = time;
        var meter = meters.Create(MeterName);
        _logins = meter.CreateCounter<long>("espacepro.logins", description:
            "Login attempts by outcome: success, wrong (unknown e-mail or wrong password), throttled, expired (right password, expired: sent to the forced change).");
        meter.CreateObservableGauge("espacepro.password_hash.queue", () => _hashQueue?.Invoke() ?? 0,
            description: "Hashes and verifications waiting for a hashing thread.");
        _hashDuration = meter.CreateHistogram("espacepro.password_hash.duration", unit: "s",
            description: "Time of one Argon2id hash or verification on a hashing thread (queueing excluded).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1] });
        meter.CreateObservableGauge("espacepro.outbox.backlog", () => Backlog().Count,
            description: "Mails not yet sent (given-up mails excluded), every node's included.");
        meter.CreateObservableGauge("espacepro.outbox.oldest_age", () => Backlog().OldestAgeSeconds, unit: "s",
            description: "Age of the oldest mail not yet sent; 0 when the outbox is empty.");
        _mailsSent = meter.CreateCounter<long>("espacepro.mails.sent", description: "Mails delivered by this node, by kind.");
        _mailsGivenUp = meter.CreateCounter<long>("espacepro.mails.given_up", description: "Mails abandoned after Mail:MaxAttempts attempts.");
        _activationCodesSent = meter.CreateCounter<long>("espacepro.activation_codes.sent", description: "Activation codes delivered (e-mail change or new space).");
        _activationCodesUsed = meter.CreateCounter<long>("espacepro.activation_codes.used", description: "Activation codes that activated an address.");
        _captchaFailures = meter.CreateCounter<long>("espacepro.captcha.failures", description: "Captcha answers refused (wrong, expired, reused or missing).");
        _rateLimitRefusals = meter.CreateCounter<long>("espacepro.rate_limit.refusals", description: "Requests refused by the rate limiter (429).");
        _securityEvents = meter.CreateCounter<long>("espacepro.security_events", description: "Audit events by type.");
    }

    public void LoginSucceeded(bool passwordExpired) => Login(passwordExpired ? "expired" : "success");

    public void PasswordHashed(TimeSpan duration) => _hashDuration.Record(duration.TotalSeconds);

    /// <summary>Called once by the hashing service with its queue's length.</summary>
    public void ObserveHashQueue(Func<int> length) => _hashQueue = length;

    public void MailSent(string kind)
    {
        _mailsSent.Add(1, new KeyValuePair<string, object?>("kind", kind));
        if (kind == ActivationCodeKind)
        {
            _activationCodesSent.Add(1);
        }
    }

    public void MailGivenUp() => _mailsGivenUp.Add(1);

    public void CaptchaFailed() => _captchaFailures.Add(1);

    /// <summary>For the rate limiter's OnRejected.</summary>
    public void RateLimitRefused(string? policy = null) =>
        _rateLimitRefusals.Add(1, new KeyValuePair<string, object?>("policy", policy ?? "global"));

    /// <summary>Every audit event, and the counters that follow from some of them.</summary>
    public void SecurityEvent(string type)
    {
        _securityEvents.Add(1, new KeyValuePair<string, object?>("type", type));
        switch (type)
        {
            case "login.failed":
                Login("wrong");
                break;
            case "login.throttled":
                Login("throttled");
                break;
            case "space.activated" or "email-change.activated":
                _activationCodesUsed.Add(1);
                break;
        }
    }

    private void Login(string outcome) => _logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>
    /// Read from the database when scraped (two cheap reads on the pending rows), at most once a
    /// second for both gauges: the outbox is shared, so every node reports the same figure.
    /// </summary>
    private (long Count, double OldestAgeSeconds) Backlog()
    {
        lock (_backlogLock)
        {
            var now = _time.GetUtcNow();
            if (_backlog is { } cached && now - cached.At < BacklogCacheFor && now >= cached.At)
            {
                return (cached.Count, cached.OldestAgeSeconds);
            }
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
            var maxAttempts = _mail.Value.MaxAttempts;
            var pending = db.Outbox.AsNoTracking().Where(m => m.SentAt == null && m.Attempts < maxAttempts);
            var count = pending.LongCount();
            var oldest = pending.OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefault();
            var age = oldest is { } created ? Math.Max(0, (now - created).TotalSeconds) : 0;
            _backlog = (now, count, age);
            return (count, age);
        }
    }
}
