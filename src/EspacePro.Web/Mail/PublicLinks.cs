using EspacePro.Web.Common;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Mail;

/// <summary>
/// Absolute links for e-mails, built from App:PublicBaseUrl. Never from the Host header
/// (docs/security.md R13): only in Development, when the setting is absent, from the current
/// request (the developer's own browser on localhost).
/// </summary>
public sealed class PublicLinks(IOptions<AppOptions> app, IHttpContextAccessor http, IHostEnvironment environment)
{
    /// <param name="pathAndQuery">An application path such as <c>/activation</c> or <c>/mot-de-passe-oublie/lien?jeton=…</c>.</param>
    public Uri To(string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        // "//evil.example" or "/\evil.example" would name another host.
        if (pathAndQuery[0] != '/' || (pathAndQuery.Length > 1 && pathAndQuery[1] is '/' or '\\'))
        {
            throw new ArgumentException("An application path starting with a single '/' is expected.", nameof(pathAndQuery));
        }
        return new Uri(BaseUrl().TrimEnd('/') + pathAndQuery, UriKind.Absolute);
    }

    private string BaseUrl()
    {
        if (app.Value.PublicBaseUrl is { } configured)
        {
            return configured.AbsoluteUri;
        }
        if (environment.IsDevelopment() && http.HttpContext?.Request is { } request)
        {
            return $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
        }
        throw new InvalidOperationException("App:PublicBaseUrl is required to put a link in an e-mail.");
    }
}
