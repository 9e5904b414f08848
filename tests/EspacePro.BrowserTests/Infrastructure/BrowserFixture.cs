using Microsoft.Playwright;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// One Chromium for the whole run (Debian's /usr/bin/chromium, or <c>ESPACEPRO_CHROMIUM</c>);
/// each test opens its own context. Playwright never downloads a browser here. Without a
/// browser the tests are skipped on a developer's machine and fail in CI (CI=true).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("ESPACEPRO_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    public IBrowser Browser
    {
        get
        {
            if (_unavailable is not null)
            {
                Unavailable(_unavailable);
            }
            return _browser!;
        }
    }

    /// <summary>Skips the test, or fails it in CI where every tool must be there.</summary>
    public static void Unavailable(string reason)
    {
        if (InCi)
        {
            Assert.Fail(reason + " (CI=true: the browser suite must run, not be skipped)");
        }
        Assert.Skip(reason);
    }

    public async ValueTask InitializeAsync()
    {
        Artifacts.Reset();
        if (!File.Exists(ChromiumPath))
        {
            _unavailable = $"Chromium is not installed at {ChromiumPath} (apt-get install chromium, or set ESPACEPRO_CHROMIUM).";
            return;
        }
        // The driver (node + playwright) ships in the NuGet package; it never fetches a browser.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        Gallery.UpdateIfAsked();
        Artifacts.DeleteTemp();
    }
}
