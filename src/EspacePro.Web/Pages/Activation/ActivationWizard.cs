using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace EspacePro.Web.Pages.Activation;

/// <summary>Where a browser is in the activation wizard.</summary>
public sealed record WizardState(int Step, string? Code, Guid? AccountId, DateTimeOffset? CompletedAt);

/// <summary>
/// The wizard's state lives in an encrypted, HttpOnly cookie of that browser only (shared keys
/// make it readable on every node), so a step cannot be reached without the ones before it.
/// </summary>
public sealed class ActivationWizard(IDataProtectionProvider protection, IHostEnvironment environment)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("EspacePro.Activation.v1").ToTimeLimitedDataProtector();

    private string CookieName => Security.CookieSecurity.Name(environment, "EspacePro.Activation");

    public WizardState? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<WizardState>(_protector.Unprotect(value));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, WizardState state) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(state), Lifetime), new CookieOptions
        {
            HttpOnly = true,
            Secure = !environment.IsDevelopment() || http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions
    {
        Path = "/",
        Secure = !environment.IsDevelopment() || http.Request.IsHttps,
    });
}
