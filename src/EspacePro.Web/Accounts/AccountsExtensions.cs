using EspacePro.Data;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Identity;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

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
        services.AddOptions<RecentLoginOptions>().BindConfiguration(RecentLoginOptions.Section)
            .Validate(o => o.Window > TimeSpan.Zero, "Security:RecentLogin must be positive.")
            .ValidateOnStart();
        services.AddSingleton<Argon2idPasswordHasher>();
        services.AddSingleton<IPasswordHasher<Account>>(sp => sp.GetRequiredService<Argon2idPasswordHasher>());
        services.AddSingleton<PasswordHashing>();
        services.AddScoped<AccountSessions>();
        services.AddScoped<LoginThrottler>();
        services.AddScoped<PasswordChanges>();
        services.AddSingleton<Housekeeping>();
        services.AddHostedService(sp => sp.GetRequiredService<Housekeeping>());
        services.AddSingleton<Pages.Activation.ActivationWizard>();
        services.AddSingleton<Pages.MotDePasseOublie.ResetFlow>();
        services.AddExpiryReminders();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<Account>(o =>
            {
                // Our own rules (PasswordPolicy, LoginThrottler) replace Identity's.
                o.Password.RequiredLength = 1;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 0;
                o.Lockout.AllowedForNewUsers = false;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<EspaceProDbContext>()
            .AddClaimsPrincipalFactory<AccountClaimsFactory>()
            .AddDefaultTokenProviders();

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
