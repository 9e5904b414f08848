using System.Net;

namespace EspacePro.Web.Common;

/// <summary>Address ranges written in configuration as comma-separated CIDR (10.0.0.0/24) or single addresses.</summary>
public static class IpRanges
{
    private static readonly char[] Separators = [',', ' ', ';'];

    public static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// A CIDR range whose bits after the prefix are zero: 10.0.0.5/8 is refused rather than read
    /// as 10.0.0.0/8, since it was most likely meant as one host. With
    /// <paramref name="allowSingleAddress"/>, a bare address is a range of one.
    /// </summary>
    public static bool TryParse(string entry, bool allowSingleAddress, out System.Net.IPNetwork range)
    {
        range = default;
        if (!entry.Contains('/', StringComparison.Ordinal))
        {
            if (allowSingleAddress && IPAddress.TryParse(entry, out var address))
            {
                range = new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8);
                return true;
            }
            return false;
        }
        return System.Net.IPNetwork.TryParse(entry, out range)
            && IPAddress.TryParse(entry.Split('/')[0], out var start) && range.BaseAddress.Equals(start);
    }

    /// <summary>Whether <paramref name="address"/> (an IPv4 address mapped to IPv6 counts as IPv4) is in one of the ranges.</summary>
    public static bool Contains(IReadOnlyList<System.Net.IPNetwork> ranges, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var range in ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
