namespace EspacePro.Web.Passwords;

public static class PasswordsExtensions
{
    /// <summary>
    /// Password options, rules and strength meter. The word lists are read from the app's
    /// node_modules (next to the published app too) on first use.
    /// </summary>
    public static WebApplicationBuilder AddPasswordRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PasswordOptions>()
            .BindConfiguration(PasswordOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.ReminderInterval >= TimeSpan.FromSeconds(1) && o.ReminderInterval <= TimeSpan.FromDays(1),
                "Password:ReminderInterval must be between 00:00:01 and 1.00:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton(_ => new PasswordDictionaries(Path.Combine(builder.Environment.ContentRootPath, "node_modules")));
        builder.Services.AddSingleton<PasswordPolicy>();
        builder.Services.AddSingleton<PasswordStrengthEstimator>();
        return builder;
    }
}
