namespace EspacePro.Web.Common;

/// <summary>
/// « Firefox sous Windows », « Chrome sous Android », « Safari sous iOS »: what a person
/// recognises of their own browser, read from a User-Agent header. Only the common families
/// are named; the rest reads « Navigateur non reconnu ». The header is the client's word, so
/// this is a hint for the holder, never a proof, and the order of the tests matters: most
/// browsers also claim to be the ones they derive from (Edge says Chrome and Safari, Chrome
/// says Safari).
/// </summary>
public static class UserAgentSummary
{
    /// <summary>Headers longer than this are not read: no browser sends one.</summary>
    private const int MaxHeaderLength = 1024;

    public const string UnknownBrowser = "Navigateur non reconnu";

    /// <summary>The request's browser and system, or null outside a request or without a header.</summary>
    public static string? Of(HttpContext? context) =>
        context is null ? null : Of(context.Request.Headers.UserAgent.ToString());

    /// <summary>Null when there is no header at all.</summary>
    public static string? Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }
        var ua = userAgent.Length > MaxHeaderLength ? userAgent[..MaxHeaderLength] : userAgent;
        var browser = Browser(ua);
        var system = System(ua);
        return (browser, system) switch
        {
            (null, null) => UnknownBrowser,
            (null, { } s) => $"{UnknownBrowser} sous {s}",
            ({ } b, null) => b,
            ({ } b, { } s) => $"{b} sous {s}",
        };
    }

    private static string? Browser(string ua)
    {
        if (Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/") || Has(ua, "Edge/"))
        {
            return "Edge";
        }
        if (Has(ua, "OPR/") || Has(ua, "OPiOS/") || Has(ua, "Opera"))
        {
            return "Opera";
        }
        if (Has(ua, "SamsungBrowser/"))
        {
            return "Samsung Internet";
        }
        if (Has(ua, "Vivaldi/"))
        {
            return "Vivaldi";
        }
        if (Has(ua, "Firefox/") || Has(ua, "FxiOS/"))
        {
            return "Firefox";
        }
        if (Has(ua, "Chromium/"))
        {
            return "Chromium";
        }
        if (Has(ua, "Chrome/") || Has(ua, "CriOS/") || Has(ua, "HeadlessChrome/"))
        {
            return "Chrome";
        }
        if (Has(ua, "Safari/") && (Has(ua, "Version/") || Has(ua, "iPhone") || Has(ua, "iPad")))
        {
            return "Safari";
        }
        if (Has(ua, "Trident/") || Has(ua, "MSIE "))
        {
            return "Internet Explorer";
        }
        return null;
    }

    private static string? System(string ua)
    {
        if (Has(ua, "iPhone") || Has(ua, "iPod"))
        {
            return "iOS";
        }
        if (Has(ua, "iPad"))
        {
            return "iPadOS";
        }
        if (Has(ua, "Android"))
        {
            return "Android";
        }
        if (Has(ua, "Windows"))
        {
            return "Windows";
        }
        if (Has(ua, "CrOS"))
        {
            return "ChromeOS";
        }
        if (Has(ua, "Macintosh") || Has(ua, "Mac OS X"))
        {
            return "macOS";
        }
        if (Has(ua, "Linux") || Has(ua, "X11"))
        {
            return "Linux";
        }
        return null;
    }

    private static bool Has(string ua, string token) => ua.Contains(token, StringComparison.Ordinal);
}
