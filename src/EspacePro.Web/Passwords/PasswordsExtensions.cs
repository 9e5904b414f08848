using EspacePro.Web.Data;

namespace EspacePro.Web.Passwords;

public static class PasswordsExtensions
{
    public static WebApplicationBuilder AddPasswordRules(this WebApplicationBuilder builder)
    {
        var nodeModules = ClientAssets.NodeModules(builder.Environment);
        builder.Services.AddSingleton(_ => new PasswordDictionaries(nodeModules));
        builder.Services.AddSingleton<PasswordStrengthEstimator>();
        builder.Services.AddSingleton<PasswordPolicy>();
        return builder;
    }
}
