namespace EspacePro.Web.Pages;

public static class PagesExtensions
{
    /// <summary>The Razor Pages and the services that belong to a page folder (a wizard's state, a form's sections).</summary>
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddSingleton<Activation.ActivationWizard>();
        builder.Services.AddSingleton<MotDePasseOublie.ResetFlow>();
        builder.Services.AddScoped<GererMonEspace.Identifiants.EmailSection>();
        builder.Services.AddScoped<GererMonEspace.Identifiants.PasswordSection>();
        builder.Services.AddScoped<GererMonEspace.Identifiants.TrustSection>();
        return builder;
    }
}
