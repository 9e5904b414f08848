using MimeKit;

namespace EspacePro.Web.Mail;

/// <summary>A mail taken from the outbox, ready to go out.</summary>
public sealed record OutgoingMail(Guid Id, string Kind, string To, string Subject, string TextBody, string HtmlBody);

/// <summary>Where mail goes: an SMTP relay, or a folder in Development. The seam tests replace.</summary>
public interface IMailDelivery
{
    /// <summary>Delivers the mail or throws; the dispatcher retries on failure.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

public static class MimeMessages
{
    /// <summary>
    /// The MIME message for <paramref name="mail"/>: text and HTML alternatives in UTF-8, and a
    /// Message-Id derived from the outbox id, so a copy sent again after a crash is recognisable.
    /// </summary>
    public static MimeMessage Build(OutgoingMail mail, string from, DateTimeOffset date)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = date,
            MessageId = $"{mail.Id:N}@{sender.Domain}",
        };
        message.From.Add(sender);
        message.To.Add(MailAddresses.EnsureDeliverable(mail.To));
        // RFC 3834: an automatic message, which auto-responders must not answer.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add(HeaderId.ContentLanguage, "fr");
        message.Headers.Add("X-EspacePro-Kind", mail.Kind);
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }
}
