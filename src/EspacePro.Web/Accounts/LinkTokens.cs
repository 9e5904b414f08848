using System.Security.Cryptography;
using System.Text;

namespace EspacePro.Web.Accounts;

/// <summary>Single-use link tokens (cancel links, password reset links): 256 bits, stored hashed.</summary>
public static class LinkTokens
{
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
