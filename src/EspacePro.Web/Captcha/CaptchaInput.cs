using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Captcha;

/// <summary>The captcha fields every protected form posts (bound as "Captcha").</summary>
public sealed class CaptchaInput
{
    [StringLength(32)]
    public string? Id { get; set; }

    [StringLength(32, ErrorMessage = "Recopiez les 6 caractères de l'image.")]
    public string? Answer { get; set; }

    /// <summary>The browser's solution when the person chose the automatic check instead of copying.</summary>
    [StringLength(1024, ErrorMessage = "La vérification automatique n'a pas abouti. Relancez-la, ou recopiez les caractères de la nouvelle image.")]
    public string? ProofOfWork { get; set; }
}

/// <summary>What the _Captcha partial needs to draw the field.</summary>
public sealed record CaptchaView(string? Id, string Purpose, string Label);
