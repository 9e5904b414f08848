using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Security;

/// <summary>
/// One-time messages (TempData) travel in ASP.NET Core's protected cookie, with one change: a
/// response that carries no message leaves the browser's cookies alone. ASP.NET Core's provider
/// deletes the cookie on every response of a page that reads TempData, whether the browser sent
/// one or not, so every visit to the home page carried a useless Set-Cookie.
/// </summary>
public sealed class MessageCookie(CookieTempDataProvider cookie, IOptions<CookieTempDataProviderOptions> options) : ITempDataProvider
{
    public IDictionary<string, object> LoadTempData(HttpContext context) => cookie.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        // A chunked cookie is announced by its base name too ("chunks-N").
        if (values.Count == 0 && !context.Request.Cookies.ContainsKey(options.Value.Cookie.Name!))
        {
            return;
        }
        cookie.SaveTempData(context, values);
    }
}
