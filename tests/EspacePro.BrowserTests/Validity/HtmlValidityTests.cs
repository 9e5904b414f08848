using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EspacePro.BrowserTests.Infrastructure;

namespace EspacePro.BrowserTests.Validity;

/// <summary>
/// The Nu Html Checker (vnu.jar from npm, run by the machine's Java) on every page the other
/// tests saved, in one JVM at the end of the run (its collection is ordered last).
/// </summary>
[Collection(HtmlValidityLastOrderer.LastCollection)]
public sealed class HtmlValidityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_page_visited_is_valid_html()
    {
        var pages = Directory.Exists(Artifacts.Html) ? Directory.GetFiles(Artifacts.Html, "*.html") : [];
        if (pages.Length == 0)
        {
            BrowserFixture.Unavailable("No page was saved in this run: run the browser walkthroughs first (all tests at once).");
        }
        if (!File.Exists(RepoPaths.VnuJar))
        {
            BrowserFixture.Unavailable($"vnu.jar is missing at {RepoPaths.VnuJar}: build tests/EspacePro.BrowserTests (it runs npm ci).");
        }
        var java = FindJava();
        if (java is null)
        {
            BrowserFixture.Unavailable("Java is not installed (apt-get install default-jre-headless): the Nu Html Checker needs it.");
        }

        var start = new ProcessStartInfo(java!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "-jar", RepoPaths.VnuJar, "--errors-only", "--format", "json", "--stdout", Artifacts.Html })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var json = await stdout;
        Assert.False(string.IsNullOrWhiteSpace(json), "vnu printed nothing: " + await stderr);

        using var report = JsonDocument.Parse(json);
        var errors = report.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("type").GetString() is "error" or "non-document-error")
            .Select(m => $"{m.GetProperty("url").GetString()!.Split('/').Last()}:{(m.TryGetProperty("lastLine", out var line) ? line.GetInt32() : 0)}: "
                + $"{m.GetProperty("message").GetString()}{(m.TryGetProperty("extract", out var extract) ? "  «" + extract.GetString()!.ReplaceLineEndings(" ").Trim() + "»" : "")}")
            .ToList();

        var covered = BrowserUser.CheckedStates.OrderBy(s => s, StringComparer.Ordinal).ToList();
        await File.WriteAllLinesAsync(Path.Combine(Artifacts.Root, "pages-checked.txt"), covered, TestContext.Current.CancellationToken);
        output.WriteLine($"{pages.Length} pages checked by vnu; {covered.Count} page states checked by axe (list in {Path.Combine(Artifacts.Root, "pages-checked.txt")}).");

        Assert.True(errors.Count == 0, $"{errors.Count} HTML errors in {pages.Length} pages:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    private static string? FindJava()
    {
        if (Environment.GetEnvironmentVariable("JAVA_HOME") is { Length: > 0 } home && File.Exists(Path.Combine(home, "bin", "java")))
        {
            return Path.Combine(home, "bin", "java");
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "java"))
            .FirstOrDefault(File.Exists);
    }
}
