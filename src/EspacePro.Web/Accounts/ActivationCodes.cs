using System.Security.Cryptography;
using System.Text;

namespace EspacePro.Web.Accounts;

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
