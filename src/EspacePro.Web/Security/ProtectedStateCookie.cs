using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace EspacePro.Web.Security;

/// <summary>
/// A small piece of state kept in one browser only: JSON in an encrypted, time-limited,
/// HttpOnly, SameSite=Strict cookie. The data-protection keys are in the database, so any node
/// reads it. Used by the multi-step flows (activation wizard, forgotten password).
/// </summary>
public sealed class ProtectedStateCookie<T>(IDataProtectionProvider protection, IHostEnvironment environment, string name, string purpose, TimeSpan lifetime)
    where T : class
{
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector(purpose).ToTimeLimitedDataProtector();
    private readonly string _cookieName = CookieSecurity.Name(environment, name);

    public T? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(_cookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(_protector.Unprotect(value));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, T state) =>
        http.Response.Cookies.Append(_cookieName, _protector.Protect(JsonSerializer.Serialize(state), lifetime), Options(http));

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(_cookieName, Options(http));

    private CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = !environment.IsDevelopment() || http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
