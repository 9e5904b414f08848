namespace EspacePro.Web.Security;

/// <summary>
/// Cookies are <c>__Host-</c>-prefixed and Secure everywhere but in Development, where
/// <c>dotnet run</c> serves plain http://localhost (no certificate on a fresh machine) and a
/// Secure cookie could not be set. Tests and production run with the strict rules.
/// </summary>
public static class CookieSecurity
{
    public static string Name(IHostEnvironment environment, string name) =>
        environment.IsDevelopment() ? name : "__Host-" + name;

    public static CookieSecurePolicy Policy(IHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
}
