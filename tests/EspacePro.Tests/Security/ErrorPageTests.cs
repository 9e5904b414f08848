using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Tests.MotDePasseOublie;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Security;

public sealed class ErrorPageTests
{
    private const string Trigger = "panne@espacepro.test";
    private const string InternalDetail = "Connection refused by db-primary.internal:5432";

    /// <summary>
    /// An unexpected failure outside Development: the French page with an incident id that the
    /// log line carries too; no exception type, message or stack frame reaches the browser.
    /// </summary>
    [Fact]
    public async Task An_unexpected_error_shows_the_French_page_with_an_incident_id_and_no_trace()
    {
        await using var app = new TestApp()
        {
            ExtraServices = services => services.AddSingleton<ILookupNormalizer, FailingNormalizer>(),
        };
        using var user = app.NewUser();

        var page = await user.RequestResetAsync(Trigger, follow: false);

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("Erreur inattendue", page.Document.QuerySelector("h1")?.TextContent);
        Assert.Contains("Une erreur inattendue s'est produite.", page.Text);
        var incident = page.Document.QuerySelector(".incident-id")?.TextContent;
        Assert.Matches("^[0-9a-f]{32}$", incident);
        var html = page.Document.DocumentElement.OuterHtml;
        Assert.DoesNotContain(InternalDetail, html);
        Assert.DoesNotContain("InvalidOperationException", html);
        Assert.DoesNotContain("EspacePro.Tests", html);
        Assert.DoesNotContain(" at ", page.Text);
        Assert.True(page.Response.Headers.CacheControl?.NoStore);
        // Support finds the failure from the id the user reads out.
        Assert.Contains(app.Logs.Lines, line => line.Contains(incident!, StringComparison.Ordinal) && line.Contains(InternalDetail, StringComparison.Ordinal));
    }

    /// <summary>Stands for any service failing under a request (a database down, a bug).</summary>
    private sealed class FailingNormalizer : ILookupNormalizer
    {
        private readonly UpperInvariantLookupNormalizer _inner = new();

        public string? NormalizeEmail(string? email) =>
            string.Equals(email, Trigger, StringComparison.OrdinalIgnoreCase)
                ? throw new InvalidOperationException(InternalDetail)
                : _inner.NormalizeEmail(email);

        public string? NormalizeName(string? name) => _inner.NormalizeName(name);
    }
}
