using EspacePro.Web.Common;

namespace EspacePro.Web.Recap;

public static class RecapExtensions
{
    public static WebApplicationBuilder AddRecap(this WebApplicationBuilder builder)
    {
        var fonts = ClientAssets.FontDirectory(builder.Environment);
        builder.Services.AddSingleton(_ => new RecapPdfRenderer(fonts));
        builder.Services.AddScoped<RecapDownloads>();
        return builder;
    }
}
