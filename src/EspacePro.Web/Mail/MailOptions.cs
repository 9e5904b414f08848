namespace EspacePro.Web.Mail;

/// <summary>Section "Mail" of the configuration (the README's settings table).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";
    public const string DefaultFrom = "ne-pas-repondre@dgfip.finances.gouv.fr";

    /// <summary>Directory in Development, Smtp otherwise (set by <see cref="MailExtensions.AddMail"/>).</summary>
    public MailDeliveryMode Delivery { get; set; } = MailDeliveryMode.Smtp;

    /// <summary>Folder of the <c>.eml</c> files; relative to the content root. Defaults to <c>&lt;App:DataDirectory&gt;/mail</c>.</summary>
    public string Directory { get; set; } = "";

    public string From { get; set; } = DefaultFrom;

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>
    /// Attempts per message before the dispatcher gives up. The backoff grows to one hour, so 60
    /// attempts span about two days: a relay outage shorter than an activation code's life loses nothing.
    /// </summary>
    public int MaxAttempts { get; set; } = 60;

    /// <summary>
    /// false turns the background dispatcher off: tests call <see cref="OutboxDispatcher.DispatchDueAsync"/>
    /// themselves so that what a flow sent is read deterministically.
    /// </summary>
    public bool BackgroundDispatch { get; set; } = true;

    /// <summary>How often the background dispatcher looks for due mail when nothing wakes it up.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a node owns the mails it has claimed. A node that dies mid-batch holds its
    /// unsent mails this long; then any node sends them. Each send must fit in it several times
    /// over: see <see cref="SendTimeout"/>.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The SMTP timeout: a quarter of the lease, at most 30 s. No send is started with less than
    /// this plus a fifth (time to record the send) left on the lease, so a slow relay cannot make
    /// a second node send the same mail while the first is still at it.
    /// </summary>
    public TimeSpan SendTimeout => Lease / 4 < TimeSpan.FromSeconds(30) ? Lease / 4 : TimeSpan.FromSeconds(30);

    /// <summary>Shows /dev/courriels outside Development (with Directory delivery only); for tests.</summary>
    public bool ShowDevPage { get; set; }
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
}

public enum MailDeliveryMode
{
    /// <summary>One <c>.eml</c> file per mail in Mail:Directory (Development).</summary>
    Directory,
    /// <summary>Through the SMTP relay of Mail:Smtp.</summary>
    Smtp,
}

public enum SmtpSecurity
{
    /// <summary>TLS on port 465, STARTTLS when the server offers it elsewhere (opportunistic).</summary>
    Auto,
    /// <summary>Plain text (a relay on the same host or network).</summary>
    None,
    /// <summary>STARTTLS required: the connection fails if the server does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}
