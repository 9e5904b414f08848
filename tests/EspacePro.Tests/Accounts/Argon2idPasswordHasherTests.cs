using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Identity;

namespace EspacePro.Tests.Accounts;

public sealed class Argon2idPasswordHasherTests
{
    private readonly Argon2idPasswordHasher _hasher = new();

    [Fact]
    public void A_hash_round_trips_and_carries_its_parameters()
    {
        var hash = _hasher.Hash("mon espace professionnel est sécurisé");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash);
        Assert.Equal(PasswordVerificationResult.Success, _hasher.Verify(hash, "mon espace professionnel est sécurisé"));
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify(hash, "mon espace professionnel est securise"));
    }

    [Fact]
    public void Two_hashes_of_the_same_password_differ_by_their_salt()
    {
        Assert.NotEqual(_hasher.Hash("même mot de passe, deux sels"), _hasher.Hash("même mot de passe, deux sels"));
    }

    [Fact]
    public void A_tampered_hash_is_rejected()
    {
        var hash = _hasher.Hash("un mot de passe de vingt caractères");
        var parts = hash.Split('$');
        var digest = parts[5].ToCharArray();
        digest[3] = digest[3] == 'A' ? 'B' : 'A';
        parts[5] = new string(digest);

        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify(string.Join('$', parts), "un mot de passe de vingt caractères"));
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify(hash.Replace("argon2id", "argon2i", StringComparison.Ordinal), "un mot de passe de vingt caractères"));
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify(hash.Replace("m=19456", "m=99999999", StringComparison.Ordinal), "un mot de passe de vingt caractères"));
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify("AQAAAAIAAYagAAAAE", "x"));
    }

    [Fact]
    public void Passwords_are_nfkc_normalised_and_never_truncated()
    {
        var hash = _hasher.Hash("ｍｏｔ ｄｅ ｐａｓｓｅ ｐｌｅｉｎｅ ｌａｒｇｅｕｒ");
        Assert.Equal(PasswordVerificationResult.Success, _hasher.Verify(hash, "mot de passe pleine largeur"));

        var longOne = new string('x', 127) + "a";
        var longHash = _hasher.Hash(longOne);
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify(longHash, new string('x', 127) + "b"));
    }

    [Fact]
    public void A_hash_made_with_weaker_parameters_asks_for_a_rehash()
    {
        var weak = new Argon2idPasswordHasher(memoryKiB: 8 * 1024, passes: 1).Hash("ancien paramétrage du hachage");

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, _hasher.Verify(weak, "ancien paramétrage du hachage"));
    }

    // Known answers, derived once by libsodium 1.0 for "ancien hachage fait par libsodium" and
    // the salt "sel-de-16-octets": stored hashes must keep verifying across versions of the
    // binding, whatever parameters and tag length they were written with.
    [Theory]
    [InlineData(19456, 2, "1YU5JWY9xHAL4P03460GsywU2hif/AqIJ43QELJ1VI0")]
    [InlineData(8192, 1, "BoCu2CUmG6SaYla0W2NFILbiajwHgoInAe0lY4o2bV0")]
    [InlineData(8192, 3, "PwGcHxqk7yNcD7e1H/XgvA")] // a 16-byte tag, shorter than this hasher writes
    [InlineData(8192, 1, "TB0LGbobpp5DYRau6vZW2iIZHNDHaNsXRQPe2ZcsQGxTw1VGNtRlDrrCCbN4CPvwAoYjBHNuZ4bLrkASMwzSiA")]
    public void Stored_hashes_verify_with_their_own_parameters(int memoryKiB, int passes, string tag)
    {
        const string Password = "ancien hachage fait par libsodium";
        var encoded = $"$argon2id$v=19$m={memoryKiB},t={passes},p=1$c2VsLWRlLTE2LW9jdGV0cw${tag}";

        var expected = memoryKiB < Argon2idPasswordHasher.MemoryKiB || passes < Argon2idPasswordHasher.Passes
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
        Assert.Equal(expected, _hasher.Verify(encoded, Password));
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify(encoded, Password + "!"));
    }
}
