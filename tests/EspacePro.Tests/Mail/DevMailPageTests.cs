using System.Net;
using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Mail;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace EspacePro.Tests.Mail;

/// <summary>Directory delivery and the Development mail page, /dev/courriels.</summary>
public sealed class DevMailPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task SendAsync(TestApp app, params Email[] mails)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var mailer = scope.ServiceProvider.GetRequiredService<Mailer>();
            foreach (var mail in mails)
            {
                mailer.Enqueue(mail);
            }
            await scope.ServiceProvider.GetRequiredService<EspaceProDbContext>().SaveChangesAsync(Cancel);
        }
        await app.DeliverMailAsync();
    }

    private static ActivationCodeEmail Activation(TestApp app, string to = "nouvelle.adresse@example.com") =>
        new(to, "BBBzvnAjPtUp", app.Services.GetRequiredService<PublicLinks>().To("/activation"));

    [Fact]
    public async Task Directory_delivery_writes_one_parseable_eml_per_mail_named_by_time()
    {
        await using var app = new TestApp();

        await SendAsync(app, Activation(app), new SpaceDeletedEmail("lila.rosemonde@orange.fr", app.Time.GetUtcNow()));

        var files = Directory.GetFiles(app.MailDirectory);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.Matches(@"^20260223T135200Z-[0-9a-f]{32}\.eml$", Path.GetFileName(f)));
        var activation = files.Select(f => MimeMessage.Load(f)).Single(m => m.Subject == "Espace professionnel - Code d'activation");
        Assert.Equal("ne-pas-repondre@dgfip.finances.gouv.fr", activation.From.Mailboxes.Single().Address);
        Assert.Equal("nouvelle.adresse@example.com", activation.To.Mailboxes.Single().Address);
        Assert.Contains("BBBzvnAjPtUp", activation.TextBody);
        Assert.Contains("BBBzvnAjPtUp", activation.HtmlBody);
        Assert.Contains("https://espacepro.test/activation", activation.TextBody);
    }

    [Fact]
    public async Task The_dev_page_lists_the_mails_newest_first_and_shows_one()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await SendAsync(app, new PasswordChangedEmail("lila.rosemonde@orange.fr", app.Time.GetUtcNow(), new DateOnly(2029, 2, 22)));
        app.Time.Advance(TimeSpan.FromMinutes(5));
        await SendAsync(app, Activation(app));

        var list = await user.GetAsync("/dev/courriels");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("Courriels envoyés", list.Document.QuerySelector("h1")!.TextContent);
        var table = list.Document.QuerySelector("table#courriels")!;
        Assert.Equal("Courriels déposés, du plus récent au plus ancien", table.QuerySelector("caption")!.TextContent);
        Assert.All(table.QuerySelectorAll("thead th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        var rows = table.QuerySelectorAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["23/02/2026 à 14h57", "nouvelle.adresse@example.com", "Espace professionnel - Code d'activation"], rows[0]);
        Assert.Equal(["23/02/2026 à 14h52", "lila.rosemonde@orange.fr", "Espace professionnel - Modification du mot de passe"], rows[1]);
        Assert.Equal("no-store", list.Response.Headers.CacheControl?.ToString().Split(',')[0].Trim());

        var link = table.QuerySelector("tbody tr a")!.GetAttribute("href")!;
        var message = await user.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, message.Status);
        Assert.Equal("Espace professionnel - Code d'activation", message.Document.QuerySelector("h1")!.TextContent);
        var headers = message.Document.QuerySelector("table#en-tetes")!;
        Assert.All(headers.QuerySelectorAll("th"), th => Assert.Equal("row", th.GetAttribute("scope")));
        Assert.Contains("nouvelle.adresse@example.com", headers.TextContent);
        Assert.Contains("ne-pas-repondre@dgfip.finances.gouv.fr", headers.TextContent);
        var text = message.Document.QuerySelector("pre#texte")!.TextContent;
        Assert.Contains("saisi le code suivant :\n\n    BBBzvnAjPtUp\n", text);
        // A flow's story can read the code from the page, as a developer does.
        Assert.Matches(@"(?m)^\s+BBBzvnAjPtUp\s*$", text);

        var htmlLink = message.Document.QuerySelector("a#lien-html")!.GetAttribute("href")!;
        var html = await user.Client.GetAsync(htmlLink, Cancel);

        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        var csp = html.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; style-src 'unsafe-inline'; img-src data:", csp);
        Assert.DoesNotContain("script-src", csp);
        var body = await html.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("BBBzvnAjPtUp", body);
        Assert.Contains("<html lang=\"fr\">", body);
    }

    [Fact]
    public async Task The_dev_page_is_reachable_without_login_and_says_when_there_is_no_mail()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var list = await user.GetAsync("/dev/courriels");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("Aucun courriel pour le moment.", list.Document.QuerySelector("#aucun-courriel")!.TextContent);
    }

    [Theory]
    [InlineData("/dev/courriels/20260223T135200Z-00000000000000000000000000000000")]
    [InlineData("/dev/courriels/..%2F..%2Fappsettings")]
    [InlineData("/dev/courriels/20260223T135200Z-00000000000000000000000000000000/html")]
    [InlineData("/dev/courriels/20260223T135200Z-00000000000000000000000000000000/autre")]
    public async Task Unknown_or_malformed_mail_ids_get_404(string url)
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync(url)).Status);
    }

    [Fact]
    public async Task The_dev_page_answers_404_outside_Development_unless_enabled()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Mail:ShowDevPage"] = "false" });
        using var user = app.NewUser();
        await SendAsync(app, Activation(app));
        var id = Path.GetFileNameWithoutExtension(Directory.GetFiles(app.MailDirectory).Single());

        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/dev/courriels")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/dev/courriels/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/dev/courriels/{id}/html")).Status);
    }

    [Fact]
    public async Task The_dev_page_answers_404_with_SMTP_delivery_even_when_enabled()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["Mail:Delivery"] = "Smtp",
            ["Mail:Smtp:Host"] = "127.0.0.1",
        });
        using var user = app.NewUser();

        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/dev/courriels")).Status);
    }
}
