using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using NSec.Cryptography;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Argon2id through libsodium (NSec), a maintained native binding (docs/security.md R1), in the PHC
/// string format so that the parameters travel with each hash:
/// <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>. Identity's default
/// (PBKDF2, 100,000 rounds) is below today's OWASP minimum and four times slower here.
/// Passwords and trust answers are NFKC-normalised before hashing, never truncated.
/// </summary>
public sealed class Argon2idPasswordHasher
{
    public const int MemoryKiB = 19 * 1024;
    public const int Passes = 2;
    private const int SaltSize = 16;
    private const int HashSize = 32;

    private readonly int _memoryKiB;
    private readonly int _passes;

    public Argon2idPasswordHasher() : this(MemoryKiB, Passes) { }

    public Argon2idPasswordHasher(int memoryKiB, int passes)
    {
        // Unusable parameters fail at construction, not at the first hash.
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKiB, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        _memoryKiB = memoryKiB;
        _passes = passes;
    }

    public string Hash(string secret)
    {
        Span<byte> salt = stackalloc byte[SaltSize];
        RandomNumberGenerator.Fill(salt);
        var hash = Derive(Encode(secret), salt, _memoryKiB, _passes, HashSize);
        return $"$argon2id$v=19$m={_memoryKiB},t={_passes},p=1${B64(salt)}${B64(hash)}";
    }

    public PasswordVerificationResult Verify(string encoded, string secret)
    {
        if (!TryParse(encoded, out var memory, out var passes, out var salt, out var expected))
        {
            return PasswordVerificationResult.Failed;
        }
        var actual = Derive(Encode(secret), salt, memory, passes, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordVerificationResult.Failed;
        }
        return memory < _memoryKiB || passes < _passes
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
    }

    private static byte[] Encode(string secret) => Encoding.UTF8.GetBytes(secret.Normalize(NormalizationForm.FormKC));

    // libsodium maps the 19 MiB of blocks for each derivation and unmaps them after: memory is
    // only held while a hash runs (PasswordHashing bounds how many run at once).
    private static byte[] Derive(byte[] password, ReadOnlySpan<byte> salt, int memoryKiB, int passes, int length)
    {
        var tag = new byte[length];
        try
        {
            PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
            {
                DegreeOfParallelism = 1,
                MemorySize = memoryKiB,
                NumberOfPasses = passes,
            }).DeriveBytes(password, salt, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
        return tag;
    }

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryParse(string encoded, out int memory, out int passes, out byte[] salt, out byte[] hash)
    {
        memory = passes = 0;
        salt = hash = [];
        var parts = encoded.Split('$');
        // "", "argon2id", "v=19", "m=..,t=..,p=1", salt, hash
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }
        foreach (var pair in parts[3].Split(','))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out var value) || value <= 0)
            {
                return false;
            }
            switch (kv[0])
            {
                case "m": memory = value; break;
                case "t": passes = value; break;
                case "p" when value == 1: break;
                default: return false;
            }
        }
        // Refuse parameters an attacker-controlled row could use to exhaust memory or accept anything.
        if (memory is < 8 * 1024 or > 1024 * 1024 || passes is < 1 or > 20)
        {
            return false;
        }
        try
        {
            salt = FromB64(parts[4]);
            hash = FromB64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length == SaltSize && hash.Length >= 16;
    }

    private static byte[] FromB64(string text) =>
        Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
}
