using System.Net;
using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Shared;

/// <summary>The layout every page shares: header links, asset version stamps, optional partials.</summary>
public sealed class LayoutTests
{
    [Fact]
    public async Task Stylesheet_and_script_carry_a_version_stamp_and_are_served_at_that_address()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var page = await user.GetAsync("/connexion");

        var css = page.Document.QuerySelector("link[rel=stylesheet][href^='/css/site.css']")!.GetAttribute("href")!;
        var js = page.Document.QuerySelector("script[type=module][src^='/js/site.js']")!.GetAttribute("src")!;
        foreach (var (address, type) in new[] { (css, "text/css"), (js, "text/javascript") })
        {
            // The stamp is the file's hash: a new deployment changes the address, so browsers
            // never keep an old copy.
            Assert.Matches(@"\?v=[A-Za-z0-9_-]{20,}$", address);
            var response = await user.Client.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task Without_errors_or_captcha_the_optional_parts_are_absent_and_with_errors_the_summary_lists_them()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var page = await user.GetAsync("/connexion");
        Assert.Null(page.Document.QuerySelector("#erreurs"));
        Assert.Null(page.Document.QuerySelector("[data-captcha]"));
        Assert.Null(page.Document.QuerySelector("#form-nouvelle-image"));
        Assert.NotNull(page.Document.QuerySelector(".fr-header a[href='/connexion']"));

        var failed = await user.SubmitAsync(page, "#form-connexion", new Dictionary<string, string?>
        {
            ["Input.Email"] = "",
            ["Input.Password"] = "",
        });
        Assert.Equal("Le formulaire contient 2 erreurs",
            failed.Document.QuerySelector("#erreurs h2")!.TextContent.Trim());
        Assert.Equal(["Saisissez votre adresse électronique.", "Saisissez votre mot de passe."],
            failed.Document.QuerySelectorAll("#erreurs li").Select(li => li.TextContent.Trim()));
    }
}
