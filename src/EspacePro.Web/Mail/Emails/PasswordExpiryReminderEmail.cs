namespace EspacePro.Web.Mail;

/// <summary>Sent 30 and 7 days before the password's validity ends (docs/security.md D2).</summary>
public sealed record PasswordExpiryReminderEmail(string To, DateOnly ValidUntil, int DaysLeft) : Email(To)
{
    public override string Subject => "Espace professionnel - Expiration prochaine de votre mot de passe";

    protected override void Compose(MailContent content)
    {
        var days = DaysLeft == 1 ? "1 jour" : $"{DaysLeft} jours";
        content.Paragraph("Le mot de passe de votre espace professionnel est valable jusqu'au ", Inline.Strong(Day(ValidUntil)), $", soit encore {days}.");
        content.Paragraph("Pour le renouveler, connectez-vous à votre espace professionnel, puis choisissez « Gérer mon espace » et « Modifier mes identifiants de connexion ». Après cette date, un nouveau mot de passe vous sera demandé à la connexion.");
        content.Paragraph("Pour des raisons de sécurité, le mot de passe ne doit être utilisé que sur ce site.");
    }
}
