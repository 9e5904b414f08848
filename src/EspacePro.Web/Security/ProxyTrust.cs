using System.Net;
using EspacePro.Web.Common;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Security;

/// <summary>
/// Which senders may tell the application the client's address and scheme. Behind a balancer
/// every request comes from the balancer: its <c>X-Forwarded-For</c> names the client that the
/// login throttle and the audit log must see, and its <c>X-Forwarded-Proto</c> says the client
/// spoke https (without it the strict cookies cannot be written and HSTS is not sent). The same
/// headers from anyone else are forgeries: a client that rotated them would never be throttled.
/// So they are read from the configured proxies only (<c>App:KnownProxies</c>,
/// <c>App:KnownNetworks</c>, loopback with <c>App:BehindProxy</c>) and from nowhere else;
/// nothing is trusted by default, not even loopback. <c>X-Forwarded-Host</c> is never read:
/// links are built from <c>App:PublicBaseUrl</c>, and the Host header decides nothing here.
/// </summary>
public static class ProxyTrust
{
    /// <summary>The configured trust, or the entries that are not addresses or ranges.</summary>
    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<System.Net.IPNetwork> Networks, IReadOnlyList<string> Errors) Read(AppOptions options)
    {
        var errors = new List<string>();
        var proxies = new List<IPAddress>();
        foreach (var entry in IpRanges.Split(options.KnownProxies))
        {
            if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/', StringComparison.Ordinal))
            {
                proxies.Add(address);
            }
            else
            {
                errors.Add($"App:KnownProxies: '{entry}' is not an IP address (a range goes in App:KnownNetworks).");
            }
        }
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in IpRanges.Split(options.KnownNetworks))
        {
            if (IpRanges.TryParse(entry, allowSingleAddress: false, out var network))
            {
                networks.Add(network);
            }
            else
            {
                errors.Add($"App:KnownNetworks: '{entry}' is not a CIDR range such as 10.0.0.0/24 (the bits after the prefix must be zero).");
            }
        }
        if (options.BehindProxy)
        {
            networks.Add(new System.Net.IPNetwork(IPAddress.Parse("127.0.0.0"), 8));
            proxies.Add(IPAddress.IPv6Loopback);
        }
        return (proxies, networks, errors);
    }

    /// <summary>Whether any sender is trusted, i.e. whether the forwarded headers are read at all.</summary>
    public static bool TrustsAnyone(AppOptions options)
    {
        var (proxies, networks, _) = Read(options);
        return proxies.Count > 0 || networks.Count > 0;
    }

    /// <summary>
    /// Reads the forwarded headers from the trusted senders, first in the pipeline. When
    /// ASPNETCORE_FORWARDEDHEADERS_ENABLED is set the host has already put the same middleware
    /// there, with the same options: a second pass would read more hops than App:ForwardLimit.
    /// </summary>
    public static void UseProxyTrust(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AppOptions>>().Value;
        var addedByHost = string.Equals(app.Configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);
        if (TrustsAnyone(options) && !addedByHost)
        {
            app.UseForwardedHeaders();
        }
    }

    public static IServiceCollection AddProxyTrust(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<AppOptions>, Validation>();
        // Replaces whatever was configured before, ASP.NET Core's loopback defaults and the
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED set-up (which empties both lists, and empty lists
        // make the middleware trust every sender) included.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AppOptions>>((o, app) =>
        {
            var (proxies, networks, _) = Read(app.Value);
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list is still read by the middleware when filled.
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
            o.ForwardLimit = app.Value.ForwardLimit;
            // Nobody trusted: read no header at all, even if something adds the middleware.
            o.ForwardedHeaders = proxies.Count > 0 || networks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
        });
        return services;
    }

    private sealed class Validation : IValidateOptions<AppOptions>
    {
        public ValidateOptionsResult Validate(string? name, AppOptions options) =>
            Read(options).Errors is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
