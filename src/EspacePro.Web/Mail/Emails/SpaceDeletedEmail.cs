namespace EspacePro.Web.Mail;

/// <summary>After "Supprimer mon espace professionnel".</summary>
public sealed record SpaceDeletedEmail(string To, DateTimeOffset DeletedAt) : Email(To)
{
    public override string Subject => "Espace professionnel - Suppression de votre espace professionnel";

    protected override void Compose(MailContent content)
    {
        content.Paragraph($"Votre espace professionnel et les données qui y étaient enregistrées ont été supprimés {At(DeletedAt)} (heure de Paris). Cette adresse électronique ne permet plus de vous connecter.");
        content.Paragraph($"Si vous n'êtes pas à l'origine de cette suppression, contactez sans attendre {Assistance}.");
    }
}
