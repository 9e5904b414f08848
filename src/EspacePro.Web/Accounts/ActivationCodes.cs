using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace EspacePro.Web.Accounts;

/// <summary>Section "Activation".</summary>
public sealed class ActivationOptions
{
    public const string Section = "Activation";

    /// <summary>How long an activation code stays valid (48 h in the DGFiP procedure).</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromHours(48);

    [Range(1, 20, ErrorMessage = "Activation:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Login e-mail changes one space may request in 24 hours. Each request mails two addresses,
    /// one of them chosen by the requester: without a cap the service mails anyone on demand.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Activation:MaxEmailChangesPerDay must be between 1 and 100.")]
    public int MaxEmailChangesPerDay { get; set; } = 5;

    /// <summary>Requests (of any space) that may name the same new address in 24 hours, so that no group of spaces can flood one mailbox.</summary>
    [Range(1, 100, ErrorMessage = "Activation:MaxRequestsPerAddressPerDay must be between 1 and 100.")]
    public int MaxRequestsPerAddressPerDay { get; set; } = 5;
}

/// <summary>
/// The 12-letter activation code of the sheet (e.g. "BBBzvnAjPtUp"): upper and lower case
/// letters without the look-alikes I, l, O, o — 48 letters, so 12 of them carry 67 bits.
/// Codes are case-sensitive and only their SHA-256 is stored; with 67 random bits, a 5-try
/// limit and a 48 h life, a slow hash would add nothing but load.
/// </summary>
public static class ActivationCodes
{
    public const int Length = 12;
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static bool IsWellFormed(string? code) => code is { Length: Length } && code.All(Alphabet.Contains);

    public static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}

/// <summary>Single-use link tokens (cancel links, password reset links): 256 bits, stored hashed.</summary>
public static class LinkTokens
{
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
