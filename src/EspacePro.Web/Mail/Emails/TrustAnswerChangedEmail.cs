namespace EspacePro.Web.Mail;

/// <summary>The sheet's chapter 5: the confirmation sent after a change of the trust question or its answer.</summary>
public sealed record TrustAnswerChangedEmail(string To, DateTimeOffset ChangedAt) : SecurityNoticeEmail(To)
{
    public override string Subject => "Espace professionnel - Modification de la réponse à la question de confiance";

    // The sheet names a menu « Gérer vos coordonnées »; in this space the question is found
    // under « Modifier mes identifiants de connexion », so the mail names that one.
    protected override void Compose(MailContent content)
    {
        content.Paragraph("Vous avez modifié votre réponse à la question de confiance ; cette demande a bien été prise en compte.");
        content.Paragraph("En cas d'oubli de votre mot de passe, vous devrez saisir votre réponse à la question de confiance présente dans vos informations personnelles (\"Gérer mon espace\" > \"Modifier mes identifiants de connexion\").");
        content.Paragraph($"Cette modification a été faite {At(ChangedAt)} (heure de Paris). Si vous n'en êtes pas à l'origine, modifiez sans attendre votre mot de passe et votre question de confiance, puis contactez {Assistance}.");
    }
}
