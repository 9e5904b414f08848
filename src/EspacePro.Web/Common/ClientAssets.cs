using Microsoft.Extensions.FileProviders;

namespace EspacePro.Web.Common;

/// <summary>
/// Front-end packages installed from npm by the build (never committed): DSFR is served from
/// node_modules under /dsfr, the DejaVu fonts are read from there by the captcha and the PDF.
/// </summary>
public static class ClientAssets
{
    public static string NodeModules(IHostEnvironment environment) =>
        Path.Combine(environment.ContentRootPath, "node_modules");

    public static string FontDirectory(IHostEnvironment environment) =>
        Path.Combine(NodeModules(environment), "dejavu-fonts-ttf", "ttf");

    public static IApplicationBuilder UseClientAssets(this WebApplication app)
    {
        var dsfr = Path.Combine(NodeModules(app.Environment), "@gouvfr", "dsfr", "dist");
        if (!Directory.Exists(dsfr))
        {
            throw new InvalidOperationException($"DSFR is missing at {dsfr}: build the project (it runs npm install).");
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(dsfr),
            RequestPath = "/dsfr",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=86400",
        });
        return app;
    }
}
