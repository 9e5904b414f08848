namespace EspacePro.Web.Mail;

/// <summary>
/// The sheet's chapter 4.1: the activation code, sent to the NEW address, for a new space as well as for a
/// change of login e-mail. The link opens the activation page; the code is never in it.
/// </summary>
public sealed record ActivationCodeEmail(string To, string Code, Uri ActivationPage, int ValidityHours = 48) : Email(To)
{
    public override string Subject => "Espace professionnel - Code d'activation";

    public string Code { get; init; } = CheckCode(Code);

    public Uri ActivationPage { get; init; } = CheckLink(ActivationPage);

    public override bool ContainsSecret => true;

    protected override void Compose(MailContent content)
    {
        content.Paragraph("Vous avez demandé la création d'un espace professionnel ou vous y avez apporté une modification. Cette demande a bien été prise en compte. Votre espace professionnel sera actif lorsque vous aurez saisi le code suivant :");
        content.Code(Code);
        content.Paragraph("Remarque : ce code n'est pas un mot de passe. Il ne doit être utilisé qu'une seule fois pour activer votre espace professionnel.");
        content.Paragraph("Pour activer votre espace professionnel, veuillez suivre la procédure suivante :");
        content.Steps(
            ["connectez-vous sur le site impots.gouv.fr"],
            ["cliquez sur \"Connexion à l'espace professionnel\" situé en haut à droite de l'écran"],
            ["cliquez sur \"Activer\" de la rubrique \"Activation de votre espace professionnel et de vos services\""],
            ["saisissez le code d'activation reçu ci-dessus et validez"],
            ["saisissez l'adresse électronique de connexion à l'espace et validez"]);
        // Beyond the sheet: this service is not impots.gouv.fr, so its own activation page is given too.
        content.Paragraph("Vous pouvez aussi ouvrir directement la page d'activation : ", Inline.Link(ActivationPage, ActivationPage.AbsoluteUri));
        content.Paragraph($"Vous disposez d'un délai de {ValidityHours} heures maximum pour activer votre espace professionnel à compter de l'envoi de ce message.");
        content.Paragraph("Nous vous recommandons d'adhérer au service Messagerie ou de vous le faire déléguer, pour chacune des entreprises gérées dans votre espace.");
        content.Paragraph("En effet, ce service garantit la sécurité et la confidentialité des échanges, tout en vous permettant de suivre les demandes formulées pour le compte de l'entreprise. Les réponses, conservées dans l'historique, sont opposables à l'administration.");
        content.Paragraph("Plus d'informations sur impots.gouv.fr > Connexion à l'espace professionnel > Aide : accéder aux fiches pratiques > Fiche ALU 27 : Ecrire à l'administration via la messagerie.");
    }

    public override string Thanks => "La DGFIP vous remercie de l'intérêt que vous portez à ses services.";

    private static string CheckCode(string code) =>
        !string.IsNullOrEmpty(code) && code.All(char.IsAsciiLetterOrDigit)
            ? code
            : throw new ArgumentException("An activation code is made of letters and digits only.", nameof(code));
}
