using MimeKit;

namespace EspacePro.Web.Mail;

public static class MailAddresses
{
    /// <summary>The outbox column's size, and the login e-mail's maximum (docs/security.md R17).</summary>
    public const int MaxLength = 100;

    /// <summary>
    /// A single plain address (no display name, no list, no CR/LF that could add a header).
    /// Checked when a mail is queued and again when it is sent.
    /// </summary>
    public static MailboxAddress EnsureDeliverable(string address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > MaxLength
            || address.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0
            || !MailboxAddress.TryParse(ParserOptions.Default, address, out var mailbox)
            || mailbox.Address != address.Trim()
            || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The recipient must be a single e-mail address of at most {MaxLength} characters.", nameof(address));
        }
        return mailbox;
    }
}
