using Microsoft.Playwright;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// Base of every browser test: starts the apps and opens the browser contexts a test asks for,
/// traces each context, and keeps the trace and a screenshot of every open page only when the
/// test fails (under TestResults/browser/failures/).
/// </summary>
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<(IBrowserContext Context, string Name)> _contexts = [];
    private readonly List<AppServer> _apps = [];

    /// <summary>This test's name, made fit for a file name (theory arguments included).</summary>
    protected static string TestSlug =>
        Artifacts.Slug(TestContext.Current.Test?.TestDisplayName?.Split('.').Last() ?? "test");

    /// <summary>A fresh app (its own database and mailbox), stopped at the end of the test.</summary>
    protected async Task<AppServer> StartAppAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _ = browser.Browser; // skip or fail before paying for an app when there is no browser
        var app = await AppServer.StartAsync(TestSlug, settings);
        _apps.Add(app);
        return app;
    }

    /// <summary>A person at a new browser (own cookies), on <paramref name="viewport"/>.</summary>
    protected async Task<BrowserUser> OpenBrowserAsync(AppServer app, Viewport viewport, string? name = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl.ToString(),
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
            DeviceScaleFactor = 1,
            IsMobile = viewport.IsPhone,
            HasTouch = viewport.IsPhone,
            Locale = "fr-FR",
            TimezoneId = "Europe/Paris",
            AcceptDownloads = true,
            ReducedMotion = ReducedMotion.Reduce,
        });
        // Generous: CI runs the browser suite beside the SQLite and PostgreSQL suites on 2 cores,
        // where a page load has been seen to take over 15 s.
        context.SetDefaultTimeout(30_000);
        var contextName = $"{TestSlug}{(name is null ? "" : "-" + name)}";
        await context.Tracing.StartAsync(new TracingStartOptions
        {
            Title = contextName,
            // DOM snapshots at each action; the screencast costs a fifth of the run on 2 cores,
            // so it is opt-in (a failing test gets a full-page screenshot anyway).
            Snapshots = true,
            Screenshots = Environment.GetEnvironmentVariable("ESPACEPRO_TRACE_SCREENCAST") == "1",
        });
        _contexts.Add((context, contextName));
        var page = await context.NewPageAsync();
        return new BrowserUser(app, context, page, viewport, contextName);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        foreach (var (context, name) in _contexts)
        {
            try
            {
                if (failed)
                {
                    Directory.CreateDirectory(Artifacts.Failures);
                    var index = 0;
                    foreach (var page in context.Pages.Where(p => !p.IsClosed))
                    {
                        await page.ScreenshotAsync(new PageScreenshotOptions
                        {
                            Path = Path.Combine(Artifacts.Failures, $"{name}-{++index}.png"),
                            FullPage = true,
                        });
                    }
                    var trace = Path.Combine(Artifacts.Failures, $"{name}.trace.zip");
                    await context.Tracing.StopAsync(new TracingStopOptions { Path = trace });
                    TestContext.Current.TestOutputHelper?.WriteLine($"Playwright trace: {trace}");
                }
                else
                {
                    await context.Tracing.StopAsync();
                }
            }
            finally
            {
                await context.CloseAsync();
            }
        }
        foreach (var app in _apps)
        {
            if (failed)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"App logs: {Artifacts.AppLogs}");
            }
            await app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
