using EspacePro.Web.Security;
using Microsoft.AspNetCore.DataProtection;

namespace EspacePro.Web.Pages.Activation;

/// <summary>
/// Where a browser is in the activation wizard; <paramref name="NewSpace"/> tells step 3 whether
/// it activated a new space or a change of login e-mail.
/// </summary>
public sealed record WizardState(int Step, string? Code, Guid? AccountId, DateTimeOffset? CompletedAt, bool NewSpace = false);

/// <summary>
/// The wizard's state lives in a cookie of that browser only, so a step cannot be reached
/// without the ones before it, and the recap stays downloadable for a short while.
/// </summary>
public sealed class ActivationWizard(IDataProtectionProvider protection, IHostEnvironment environment)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ProtectedStateCookie<WizardState> _cookie =
        new(protection, environment, "EspacePro.Activation", "EspacePro.Activation.v1", Lifetime);

    public WizardState? Read(HttpContext http) => _cookie.Read(http);

    public void Write(HttpContext http, WizardState state) => _cookie.Write(http, state);

    public void Clear(HttpContext http) => _cookie.Clear(http);
}
