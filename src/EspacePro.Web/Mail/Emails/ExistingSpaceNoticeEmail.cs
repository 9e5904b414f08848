namespace EspacePro.Web.Mail;

/// <summary>
/// Sent instead of an activation code when someone tries to create a space with an address that
/// already has one, or to make it the login of another space: the page answers the same either
/// way (no enumeration), and the owner of the address is told.
/// </summary>
public sealed record ExistingSpaceNoticeEmail(string To, DateTimeOffset AttemptedAt, bool ForEmailChange = false) : Email(To)
{
    public override string Subject => ForEmailChange
        ? "Espace professionnel - Demande d'utilisation de votre adresse électronique"
        : "Espace professionnel - Demande de création d'un espace professionnel";

    protected override void Compose(MailContent content)
    {
        content.Paragraph(ForEmailChange
            ? $"Une demande a été faite {At(AttemptedAt)} (heure de Paris) pour utiliser cette adresse électronique comme adresse de connexion d'un autre espace professionnel. Elle est déjà l'adresse de connexion de votre espace : la demande n'a pas été prise en compte."
            : $"Une demande de création d'un espace professionnel a été faite {At(AttemptedAt)} (heure de Paris) avec cette adresse électronique, qui est déjà l'adresse de connexion d'un espace professionnel. Aucun nouvel espace n'a été créé.");
        content.Paragraph("Vous n'avez rien à faire : votre espace n'est pas modifié.");
        content.Paragraph("Si vous êtes à l'origine de cette demande parce que vous n'arrivez plus à accéder à votre espace, utilisez « Mot de passe oublié ? » sur la page de connexion à l'espace professionnel.");
    }
}
