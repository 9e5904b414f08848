namespace EspacePro.Web.Mail;

/// <summary>
/// A notice of a change to how the space is reached (password, login e-mail, trust question,
/// reset). It ends with a link to « Activité de mon espace », where the holder can see what
/// else happened and close the sessions they do not recognise. <see cref="Mailer"/> sets the
/// link from App:PublicBaseUrl, so that every notice has it without each sender building it.
/// </summary>
public abstract record SecurityNoticeEmail(string To) : Email(To)
{
    /// <summary>The application path of the activity page.</summary>
    public const string ActivityPath = "/gerer-mon-espace/activite";

    public Uri? ActivityLink
    {
        get => _activityLink;
        init => _activityLink = value is null ? null : CheckLink(value);
    }
    private readonly Uri? _activityLink;

    internal void AddActivityLink(MailContent content)
    {
        if (ActivityLink is { } link)
        {
            content.Paragraph("Pour vérifier les connexions et les modifications récentes de votre espace, et fermer les sessions que vous ne reconnaissez pas, consultez « Activité de mon espace » : ", Inline.Link(link, link.AbsoluteUri));
        }
    }
}
