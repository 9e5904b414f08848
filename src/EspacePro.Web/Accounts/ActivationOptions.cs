using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Accounts;

/// <summary>Section "Activation".</summary>
public sealed class ActivationOptions
{
    public const string Section = "Activation";

    /// <summary>How long an activation code stays valid (48 h in the DGFiP procedure).</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromHours(48);

    [Range(1, 20, ErrorMessage = "Activation:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Login e-mail changes one space may request in 24 hours. Each request mails two addresses,
    /// one of them chosen by the requester: without a cap the service mails anyone on demand.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Activation:MaxEmailChangesPerDay must be between 1 and 100.")]
    public int MaxEmailChangesPerDay { get; set; } = 5;

    /// <summary>Requests (of any space) that may name the same new address in 24 hours, so that no group of spaces can flood one mailbox.</summary>
    [Range(1, 100, ErrorMessage = "Activation:MaxRequestsPerAddressPerDay must be between 1 and 100.")]
    public int MaxRequestsPerAddressPerDay { get; set; } = 5;
}
