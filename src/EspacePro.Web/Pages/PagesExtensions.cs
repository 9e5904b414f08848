namespace EspacePro.Web.Pages;

public static class PagesExtensions
{
    /// <summary>The Razor Pages and the services that belong to a page folder (its wizard state).</summary>
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddSingleton<Activation.ActivationWizard>();
        builder.Services.AddSingleton<MotDePasseOublie.ResetFlow>();
        return builder;
    }
}
