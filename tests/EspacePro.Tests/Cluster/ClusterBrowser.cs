using AngleSharp.Html.Dom;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Cluster;

/// <summary>
/// One browser without a browser: its cookies, kept by the test (so that the same cookies go to
/// nginx over TLS or straight to a node over plain HTTP, as nginx would pass them), and a
/// <see cref="UserAgent"/> per address it talks to. A request sent straight to a node says
/// <c>X-Forwarded-Proto: https</c>, as nginx does. nginx's self-signed certificate is trusted by
/// this test only.
/// </summary>
public sealed class ClusterBrowser(ClusterFixture cluster) : IDisposable
{
    private readonly ClusterFixture _cluster = cluster;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    private readonly Dictionary<Uri, UserAgent> _agents = [];

    /// <summary>The browser talking to <paramref name="target"/> (nginx or a node).</summary>
    public UserAgent Via(Uri target)
    {
        lock (_agents)
        {
            if (!_agents.TryGetValue(target, out var agent))
            {
                agent = new UserAgent(new HttpClient(new Jar(this, direct: target.Scheme == Uri.UriSchemeHttp)) { BaseAddress = target });
                _agents[target] = agent;
            }
            return agent;
        }
    }

    /// <summary>Submits a form read from one address to another (the form's own path), with its captcha answered.</summary>
    public async Task<Page> SubmitAsync(Page page, Uri to, string formSelector, Dictionary<string, string?> values)
    {
        if (page.Document.QuerySelector("input[data-captcha-id]") is IHtmlInputElement captcha)
        {
            // What a person reads in the image: the answer kept in the shared database.
            var id = captcha.Value;
            values["Captcha.Answer"] = await _cluster.DbAsync(db => db.Captchas.Where(c => c.Id == id).Select(c => c.Answer).SingleAsync());
        }
        var moved = page with { Url = new Uri(to, page.Url.PathAndQuery) };
        return await Via(to).SubmitAsync(moved, formSelector, values);
    }

    /// <summary>Logs in: the login page (and its captcha) from <paramref name="showOn"/>, the form posted to <paramref name="postTo"/>.</summary>
    public async Task<Page> LoginAsync(string email, string password, Uri showOn, Uri postTo)
    {
        var page = await Via(showOn).GetAsync("/connexion");
        var home = await SubmitAsync(page, postTo, "#form-connexion",
            new Dictionary<string, string?> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.True(home.Url.AbsolutePath == "/", $"Login of {email} failed: {home.Url} {string.Join(" | ", home.SummaryErrors)}");
        return home;
    }

    public void Dispose()
    {
        foreach (var agent in _agents.Values)
        {
            agent.Dispose();
        }
    }

    private sealed class Jar(ClusterBrowser browser, bool direct) : DelegatingHandler(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        // nginx's certificate, made by the script at start, and no other.
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == browser._cluster.CertificateThumbprint },
    })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (browser._cookies)
            {
                if (browser._cookies.Count > 0)
                {
                    request.Headers.Add("Cookie", string.Join("; ", browser._cookies.Select(c => c.Key + "=" + c.Value)));
                }
            }
            if (direct)
            {
                request.Headers.Add("X-Forwarded-Proto", "https");
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            {
                lock (browser._cookies)
                {
                    foreach (var cookie in cookies)
                    {
                        var parts = cookie.Split(';', StringSplitOptions.TrimEntries);
                        var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
                        var (name, value) = (parts[0][..equals], parts[0][(equals + 1)..]);
                        var expired = parts.Skip(1).Any(a =>
                            a.Equals("max-age=0", StringComparison.OrdinalIgnoreCase)
                            || a.StartsWith("expires=", StringComparison.OrdinalIgnoreCase)
                               && DateTimeOffset.TryParse(a[8..], out var expires) && expires < DateTimeOffset.UtcNow);
                        if (expired || value.Length == 0)
                        {
                            browser._cookies.Remove(name);
                        }
                        else
                        {
                            browser._cookies[name] = value;
                        }
                    }
                }
            }
            return response;
        }
    }
}
