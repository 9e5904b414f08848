using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EspacePro.Web.Captcha;

/// <summary>
/// The proof of work offered instead of copying characters (the ALTCHA protocol): the server
/// hashes a salt and a secret number, the browser tries numbers until it finds the same hash,
/// and sends the number back. No reading, listening or remembering is asked of the person.
/// </summary>
/// <remarks>
/// The challenge is signed with HMAC-SHA256 under the captcha row's secret, which only the
/// database and the server see: every node can check it, the browser cannot make one up. The
/// salt carries the expiry, as in the protocol; the row's own expiry and its deletion on the
/// first check (single use on every node) are what the store enforces besides.
/// </remarks>
internal static class ProofOfWork
{
    public const string Algorithm = "SHA-256";

    // A genuine payload is about 300 characters; anything much longer is not worth parsing.
    private const int MaxPayloadLength = 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What the browser receives (ALTCHA's challenge JSON, plus the captcha id).</summary>
    public sealed record Challenge(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("algorithm")] string Algorithm,
        [property: JsonPropertyName("challenge")] string Hash,
        [property: JsonPropertyName("maxnumber")] int MaxNumber,
        [property: JsonPropertyName("salt")] string Salt,
        [property: JsonPropertyName("signature")] string Signature);

    /// <summary>What the browser sends back, base64-encoded JSON (ALTCHA's payload).</summary>
    private sealed record Solution(
        [property: JsonPropertyName("algorithm")] string? Algorithm,
        [property: JsonPropertyName("challenge")] string? Hash,
        [property: JsonPropertyName("number")] long? Number,
        [property: JsonPropertyName("salt")] string? Salt,
        [property: JsonPropertyName("signature")] string? Signature);

    public static Challenge Create(string id, ReadOnlySpan<byte> key, int maxNumber, DateTimeOffset expiresAt)
    {
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))
            + "?expires=" + expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var number = RandomNumberGenerator.GetInt32(maxNumber + 1);
        var hash = Hash(salt, number);
        return new Challenge(id, Algorithm, hash, maxNumber, salt, Sign(key, hash));
    }

    /// <summary>Whether <paramref name="payload"/> solves the challenge signed with <paramref name="key"/>, before its expiry.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, string? payload, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(payload) || payload.Length > MaxPayloadLength)
        {
            return false;
        }
        Solution? solution;
        try
        {
            solution = JsonSerializer.Deserialize<Solution>(Convert.FromBase64String(payload), Json);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
        if (solution is not { Algorithm: Algorithm, Hash: { } hash, Number: { } number and >= 0, Salt: { } salt, Signature: { } signature }
            || !NotExpired(salt, now))
        {
            return false;
        }
        // Both comparisons take the same time wherever the first wrong byte is.
        return FixedTimeEqualsText(Sign(key, hash), signature)
            && FixedTimeEqualsText(Hash(salt, number), hash);
    }

    /// <summary>What the browser computes: hex SHA-256 of the salt followed by the number in decimal.</summary>
    public static string Hash(string salt, long number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + number.ToString(CultureInfo.InvariantCulture))));

    private static string Sign(ReadOnlySpan<byte> key, string hash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(hash)));

    private static bool NotExpired(string salt, DateTimeOffset now)
    {
        var query = salt.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return false;
        }
        foreach (var parameter in salt[(query + 1)..].Split('&'))
        {
            if (parameter.StartsWith("expires=", StringComparison.Ordinal)
                && long.TryParse(parameter["expires=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            {
                return now.ToUnixTimeSeconds() < expires;
            }
        }
        return false;
    }

    private static bool FixedTimeEqualsText(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
