using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Pages.DonneesPersonnelles;

/// <summary>
/// « Données personnelles »: each kind of data, why it is kept and for how long, the periods read
/// from the same settings that housekeeping enforces, so the page cannot drift from what is done.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(IOptions<RetentionOptions> retention, IOptions<ActivationOptions> activation) : PageModel
{
    public sealed record Kept(string Data, string Purpose, string Period);

    public IReadOnlyList<Kept> Rows { get; private set; } = [];

    public void OnGet()
    {
        var keep = retention.Value;
        Rows =
        [
            new("Votre espace : coordonnées, adresse électronique de connexion, numéro d'abonné, question de confiance, empreintes du mot de passe et de la réponse",
                "Vous permettre d'accéder à vos services en ligne et de retrouver l'accès en cas d'oubli.",
                $"Tant que votre espace existe ; effacées dès sa suppression. Un espace non activé est supprimé après {Duration(activation.Value.CodeLifetime)}."),
            new("Journal de sécurité de votre espace (connexions, modifications des identifiants, réinitialisations, téléchargements du récapitulatif, avec date et adresse IP)",
                "Détecter une usurpation, vous la montrer et permettre de l'annuler.",
                $"{Duration(keep.AuditEvents)} à compter de chaque événement."),
            new("Demandes « Mot de passe oublié » (empreinte du lien, dates, essais de réponse)",
                "Vérifier que le lien n'est utilisé qu'une fois et limiter les essais.",
                $"{Duration(keep.PasswordResets)} à compter de la demande."),
            new("Modifications de l'adresse électronique de connexion (nouvelle adresse, empreinte du code d'activation)",
                "Activer la modification avec le code reçu, ou l'annuler.",
                $"{Duration(keep.PendingEmailChanges)} après leur activation, leur annulation ou la fin de leur délai."),
            new("Courriels envoyés (destinataire, objet, contenu ; les codes et liens sont effacés dès l'envoi)",
                "Envoyer le courriel, le renvoyer en cas d'échec du serveur de messagerie.",
                $"{Duration(keep.SentMail)} après l'envoi, ou après la création si l'envoi a définitivement échoué."),
            new("Rappels d'expiration du mot de passe envoyés",
                "N'envoyer chaque rappel qu'une fois.",
                $"{Duration(keep.ExpiryReminders)} après la date d'expiration annoncée."),
            new("Images de contrôle (captcha)",
                "Vérifier qu'une personne, et non un programme, remplit le formulaire.",
                keep.Captchas == TimeSpan.Zero ? "Jusqu'à leur expiration, quelques minutes après leur affichage." : $"{Duration(keep.Captchas)} après leur expiration."),
            new("Échecs de connexion par adresse électronique et par adresse IP",
                "Ralentir les essais de mots de passe.",
                $"{Duration(keep.LoginThrottles)} après le dernier échec (et jusqu'à la fin d'un éventuel blocage)."),
        ];
    }

    /// <summary>"12 mois", "30 jours", "1 heure": the period as a person reads it.</summary>
    public static string Duration(TimeSpan period)
    {
        if (period.Ticks % TimeSpan.TicksPerDay == 0 && period.Days >= 365 && period.Days % 365 == 0)
        {
            return $"{period.Days / 365 * 12} mois";
        }
        if (period.Ticks % TimeSpan.TicksPerDay == 0 && period.Days > 0)
        {
            return period.Days == 1 ? "1 jour" : $"{period.Days} jours";
        }
        if (period.Ticks % TimeSpan.TicksPerHour == 0 && period.TotalHours >= 1)
        {
            var hours = (int)period.TotalHours;
            return hours == 1 ? "1 heure" : $"{hours} heures";
        }
        var minutes = (int)Math.Ceiling(period.TotalMinutes);
        return minutes <= 1 ? "1 minute" : $"{minutes} minutes";
    }
}
