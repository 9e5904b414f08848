namespace EspacePro.Web.Accounts;

/// <summary>
/// A space whose password has expired reaches nothing but the forced change (and logging out,
/// help, errors) until it sets a new one. Expiry never locks the account (docs/security.md D2).
/// </summary>
public static class ExpiredPasswordGate
{
    public const string ChangePath = "/mot-de-passe-expire";
    private static readonly string[] Open = [ChangePath, "/deconnexion", "/aide", "/donnees-personnelles", "/erreur", "/captcha", "/health"];

    public static IApplicationBuilder UseExpiredPasswordGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Items.ContainsKey(AccountSessions.PasswordExpiredKey)
                && !Open.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.Redirect(ChangePath);
                return;
            }
            await next(context);
        });
}
