using System.Text.RegularExpressions;
using EspacePro.Web.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Infrastructure;

/// <summary>
/// The tests' mail delivery: records every mail the dispatcher delivers, then hands it on to the
/// app's configured delivery (a temporary folder by default, so /dev/courriels shows it too).
/// It can be told to fail, as a mail server that is down.
/// </summary>
public sealed class MailCapture : IMailDelivery
{
    private readonly Lock _lock = new();
    private readonly List<OutgoingMail> _delivered = [];
    private IMailDelivery? _next;
    private int _failuresLeft;

    public IReadOnlyList<OutgoingMail> Delivered
    {
        get { lock (_lock) { return _delivered.ToList(); } }
    }

    /// <summary>How many SendAsync calls were made, failed ones included.</summary>
    public int Calls { get; private set; }

    /// <summary>Runs before each delivery (e.g. to hold two dispatchers inside the same send).</summary>
    public Func<OutgoingMail, Task>? OnSend { get; set; }

    internal MailCapture ForwardingTo(IMailDelivery next)
    {
        _next = next;
        return this;
    }

    /// <summary>The next <paramref name="count"/> deliveries throw, as when the mail server is down.</summary>
    public void FailNext(int count)
    {
        lock (_lock) { _failuresLeft = count; }
    }

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        bool fail;
        lock (_lock)
        {
            Calls++;
            fail = _failuresLeft > 0;
            if (fail)
            {
                _failuresLeft--;
            }
        }
        if (OnSend is { } onSend)
        {
            await onSend(mail);
        }
        if (fail)
        {
            throw new IOException("Mail server unavailable (simulated by MailCapture).");
        }
        if (_next is not null)
        {
            await _next.SendAsync(mail, cancellationToken);
        }
        lock (_lock) { _delivered.Add(mail); }
    }
}

public static partial class MailTestExtensions
{
    /// <summary>
    /// Delivers what the outbox holds now (the dispatcher a running app would call every few
    /// seconds) and returns the mails this call delivered.
    /// </summary>
    public static async Task<IReadOnlyList<OutgoingMail>> DeliverMailAsync(this TestApp app)
    {
        var before = app.Mail.Delivered.Count;
        await app.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        return app.Mail.Delivered.Skip(before).ToList();
    }

    /// <summary>The single mail delivered to <paramref name="to"/> among <paramref name="mails"/>.</summary>
    public static OutgoingMail To(this IEnumerable<OutgoingMail> mails, string to) =>
        mails.Single(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase));

    /// <summary>The links of a mail's text part.</summary>
    public static IReadOnlyList<Uri> Links(this OutgoingMail mail) =>
        LinkPattern().Matches(mail.TextBody).Select(m => new Uri(m.Value)).ToList();

    /// <summary>The activation code: the line of 12 letters under "le code suivant :".</summary>
    public static string ActivationCode(this OutgoingMail mail) =>
        CodePattern().Match(mail.TextBody) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"No activation code in the {mail.Kind} mail.");

    /// <summary>The « code de sécurité »: the line of 6 digits under "le code de sécurité suivant :".</summary>
    public static string LoginCode(this OutgoingMail mail) =>
        LoginCodePattern().Match(mail.TextBody) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"No security code in the {mail.Kind} mail.");

    [GeneratedRegex(@"^\s+([0-9]{6})\s*$", RegexOptions.Multiline)]
    private static partial Regex LoginCodePattern();

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^\s+([A-Za-z]{12})\s*$", RegexOptions.Multiline)]
    private static partial Regex CodePattern();
}
