namespace EspacePro.Web.Mail;

/// <summary>
/// The « code de sécurité » of a login from a browser the space does not recognise, sent to
/// the login address: when and from which browser the login was tried, how long the code lasts,
/// and what to do if it was not the holder. No link carries the code.
/// </summary>
public sealed record LoginCodeEmail(string To, string Code, DateTimeOffset TriedAt, string Browser, int ValidityMinutes) : SecurityNoticeEmail(To)
{
    public override string Subject => "Espace professionnel - Code de sécurité";

    public string Code { get; init; } = CheckCode(Code);

    public override bool ContainsSecret => true;

    protected override void Compose(MailContent content)
    {
        content.Paragraph($"Une connexion à votre espace professionnel a été demandée {At(TriedAt)} (heure de Paris) depuis un navigateur que votre espace ne reconnaît pas : ",
            Inline.Strong(Browser), ". Pour terminer cette connexion, saisissez le code de sécurité suivant :");
        content.Code(Code);
        content.Paragraph($"Ce code est valable {ValidityMinutes} minutes et ne peut être utilisé qu'une seule fois. Ne le communiquez à personne : l'administration ne vous le demandera jamais, ni par téléphone ni par courriel.");
        content.Paragraph("Une fois le code saisi, ce navigateur est reconnu pendant six mois et ne vous demandera plus de code, sauf si vous modifiez votre mot de passe ou choisissez « Oublier cet appareil ».");
        content.Paragraph($"Si vous n'êtes pas à l'origine de cette connexion, ne saisissez pas ce code : votre mot de passe est connu d'une autre personne. Modifiez-le sans attendre avec « Mot de passe oublié ? » sur la page de connexion à l'espace professionnel, puis contactez {Assistance}.");
    }

    private static string CheckCode(string code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit)
            ? code
            : throw new ArgumentException("A security code is six digits.", nameof(code));
}
