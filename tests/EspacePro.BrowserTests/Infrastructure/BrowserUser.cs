using System.Collections.Concurrent;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// A person at a browser: one context (cookies), one main page, a viewport. Every screen the
/// walkthroughs reach goes through <see cref="CheckPageAsync"/>: axe-core (WCAG 2.1 A and AA),
/// the HTML saved for the Nu Html Checker, no broken sub-resource or script error, and a PNG.
/// </summary>
public sealed class BrowserUser(AppServer app, IBrowserContext context, IPage page, Viewport viewport, string name)
{
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>Every state checked in this run, for the closing report (see HtmlValidityTests).</summary>
    public static ConcurrentQueue<string> CheckedStates { get; } = new();

    private static readonly ConcurrentDictionary<string, bool> Checked = new();

    private readonly ConcurrentDictionary<IPage, IResponse> _documents = TrackDocuments(context);

    private readonly List<string> _problems = Watch(page);

    public AppServer App => app;
    public IBrowserContext Context => context;
    public IPage Page => page;
    public Viewport Viewport => viewport;
    public string Name => name;

    public async Task GotoAsync(string path)
    {
        await page.GotoAsync(path);
    }

    /// <summary>
    /// Checks the page as it is now and records it as <paramref name="state"/>: zero axe
    /// violations, HTML kept for vnu, every sub-resource loaded, no script error; a PNG.
    /// </summary>
    public Task CheckPageAsync(string state) => CheckAsync(page, state);

    public async Task CheckAsync(IPage target, string state)
    {
        // A state already checked on this viewport (the same form reached by another demo
        // user, say) is not checked again: the suite stays within its time budget.
        if (!Checked.TryAdd($"{state}|{viewport.Name}", true))
        {
            return;
        }
        var file = $"{name}-{Artifacts.Slug(state)}";
        // Every sub-resource loaded, asked of the page itself: Playwright's own record of the
        // load event once missed it after a form POST (networkidle seen, load never) and waited
        // its 30 s out on a page that had long finished loading.
        await target.WaitForFunctionAsync("() => document.readyState === 'complete'", null,
            new() { PollingInterval = 50 });
        await File.WriteAllTextAsync(Path.Combine(Artifacts.Html, file + ".html"), await ServedHtmlAsync(target), Encoding.UTF8);
        await target.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screens, file + ".png") });

        // axe.run in the page itself: the default mode opens a blank page per run to merge
        // the results of frames (there are none here) and takes twice as long.
#pragma warning disable CS0618
        var result = await target.Locator("html").RunAxeLegacy(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        });
#pragma warning restore CS0618
        Assert.True(result.Passes.Length > 0, $"axe-core did not run on « {state} » ({target.Url}).");
        CheckedStates.Enqueue($"{state} [{viewport.Name}] {new Uri(target.Url).AbsolutePath}");

        // Every link of an error summary leads to a field of the page (RGAA 11.10).
        var deadLinks = await target.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#erreurs a[href^=\"#\"]')].map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1)))");

        var problems = target == page ? _problems : [];
        var report = new StringBuilder();
        foreach (var violation in result.Violations)
        {
            report.AppendLine($"axe {violation.Id} ({violation.Impact}): {violation.Help} {violation.HelpUrl}");
            foreach (var node in violation.Nodes.Take(5))
            {
                report.AppendLine($"    {string.Join(" ", node.Target?.ToString() ?? "")}: {node.Html}");
                var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []);
                report.AppendLine($"      {string.Join(" / ", checks.Select(c => c.Message))}");
            }
        }
        foreach (var dead in deadLinks)
        {
            report.AppendLine($"error summary link {dead} leads to no element");
        }
        lock (problems)
        {
            foreach (var problem in problems)
            {
                report.AppendLine(problem);
            }
            problems.Clear();
        }
        Assert.True(report.Length == 0, $"« {state} » ({viewport.Name}, {target.Url}):{Environment.NewLine}{report}");
    }

    /// <summary>
    /// A PNG of the top of the current page (at most 1100 px on a desktop, 1600 on a phone),
    /// named for the README gallery: see <see cref="Gallery"/>.
    /// </summary>
    public async Task ScreenAsync(string screenName)
    {
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Artifacts.Screens, $"gallery-{screenName}-{viewport.Name}.png"),
            FullPage = true,
            Clip = new Clip { X = 0, Y = 0, Width = viewport.Width, Height = Math.Min(height, viewport.IsPhone ? 1600 : 1100) },
        });
    }

    /// <summary>
    /// The HTML the app sent for the page on screen, for vnu. Not <c>page.ContentAsync()</c>:
    /// the DOM after the DSFR script carries attributes the script sets at run time (the header
    /// modal's aria-labelledby and open), which vnu flags though no server markup has them;
    /// the live DOM is axe's job. Falls back to the DOM for a page shown without a navigation.
    /// </summary>
    private async Task<string> ServedHtmlAsync(IPage target)
    {
        if (_documents.TryGetValue(target, out var response) && response.Url == target.Url.Split('#')[0])
        {
            try
            {
                return await response.TextAsync();
            }
            catch (PlaywrightException)
            {
                // The body was evicted from the browser's cache.
            }
        }
        return await target.ContentAsync();
    }

    private static ConcurrentDictionary<IPage, IResponse> TrackDocuments(IBrowserContext context)
    {
        var documents = new ConcurrentDictionary<IPage, IResponse>();
        context.Response += (_, response) =>
        {
            if (response.Request.IsNavigationRequest && response.Frame.ParentFrame is null && response.Status is < 300 or >= 400)
            {
                documents[response.Frame.Page] = response;
            }
        };
        return documents;
    }

    /// <summary>Sub-resources that fail and script errors: a page that "works" with a 404 script does not.</summary>
    private static List<string> Watch(IPage page)
    {
        var problems = new List<string>();
        page.PageError += (_, error) => { lock (problems) { problems.Add("script error: " + error); } };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Request.ResourceType != "document")
            {
                lock (problems) { problems.Add($"{response.Status} for {response.Request.ResourceType} {response.Url}"); }
            }
        };
        page.RequestFailed += (_, request) =>
        {
            if (request.ResourceType != "document" && request.Failure != "net::ERR_ABORTED")
            {
                lock (problems) { problems.Add($"failed {request.ResourceType} {request.Url}: {request.Failure}"); }
            }
        };
        return problems;
    }
}
