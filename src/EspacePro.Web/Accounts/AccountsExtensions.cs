using EspacePro.Data;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EspacePro.Web.Accounts;

public static class AccountsExtensions
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<ActivationOptions>().BindConfiguration(ActivationOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.CodeLifetime > TimeSpan.Zero && o.CodeLifetime <= TimeSpan.FromDays(30),
                "Activation:CodeLifetime must be between 00:00:01 and 30.00:00:00.")
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddOptions<RecentLoginOptions>().BindConfiguration(RecentLoginOptions.Section)
            .Validate(o => o.Window > TimeSpan.Zero, "Security:RecentLogin must be positive.")
            .ValidateOnStart();
        services.AddOptions<TrustedDeviceOptions>().BindConfiguration(TrustedDeviceOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SessionCheckOptions>().BindConfiguration(SessionCheckOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SessionCheckCache>();
        // Seen by the database context on every save and transaction (Database/DataExtensions.cs).
        services.AddSingleton<IInterceptor, AccountChangeInterceptor>();
        services.AddSingleton<IInterceptor, SessionCacheTransactionInterceptor>();
        services.AddOptions<LoginCodeOptions>().BindConfiguration(LoginCodeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Argon2idPasswordHasher>();
        services.AddSingleton<PasswordHashing>();
        services.AddScoped<AccountSessions>();
        services.AddScoped<LoginThrottler>();
        services.AddScoped<CurrentPassword>();
        services.AddScoped<TrustedDevices>();
        services.AddScoped<LoginCodes>();
        services.AddScoped<LoginCompletion>();
        services.AddScoped<RecentLogin>();
        services.AddScoped<PasswordChanges>();
        services.AddSingleton<Housekeeping>();
        services.AddHostedService(sp => sp.GetRequiredService<Housekeeping>());
        services.AddExpiryReminders();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        // Of ASP.NET Core Identity the application keeps its cookie scheme, its claim types, its
        // e-mail normaliser and its user table (IdentityUserContext). Passwords, sessions and
        // their rules are its own (PasswordHashing, AccountSessions, PasswordPolicy,
        // LoginThrottler): no UserManager or SignInManager is registered, so none is built.
        services.AddSingleton<ILookupNormalizer, UpperInvariantLookupNormalizer>();
        services.AddSingleton<IUserClaimsPrincipalFactory<Account>, AccountClaimsFactory>();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = CookieSecurity.Name(builder.Environment, "EspacePro");
            o.Cookie.Path = "/";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurity.Policy(builder.Environment);
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = AccountSessions.AbsoluteTimeout;
            o.SlidingExpiration = false;
            o.LoginPath = "/connexion";
            o.LogoutPath = "/deconnexion";
            o.AccessDeniedPath = "/connexion";
            o.ReturnUrlParameter = "retour";
            o.Events.OnValidatePrincipal = AccountSessions.ValidatePrincipalAsync;
        });
        return builder;
    }
}
