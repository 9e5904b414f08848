using System.Diagnostics;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>The recap PDF as the person saves it: downloaded by a click, its text read with PdfPig.</summary>
public static class Recap
{
    /// <summary>Clicks <paramref name="link"/>, saves the download under the test output, returns its text.</summary>
    public static async Task<string> DownloadAsync(BrowserUser user, ILocator link, string name)
    {
        var download = await user.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.OrdinalIgnoreCase);
        var path = Path.Combine(Artifacts.Downloads, $"{user.Name}-{name}.pdf");
        await download.SaveAsAsync(path);
        using var pdf = PdfDocument.Open(path);
        return string.Join(Environment.NewLine, pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    /// <summary>The first page as a PNG for the README gallery, when poppler's pdftoppm is there.</summary>
    public static async Task RenderFirstPageAsync(string pdfPath, string pngPath)
    {
        if (!File.Exists("/usr/bin/pdftoppm"))
        {
            return;
        }
        var start = new ProcessStartInfo("/usr/bin/pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdfPath, Path.ChangeExtension(pngPath, null)])
        {
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
    }
}
