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

    [Theory]
    [InlineData(19456, 2, 32)]
    [InlineData(8192, 1, 32)]
    [InlineData(8192, 3, 16)] // shorter tags than this hasher writes are still verified (by libsodium)
    [InlineData(8192, 1, 64)]
    public void Hashes_made_by_libsodium_still_verify(int memoryKiB, int passes, int tagLength)
    {
        const string Password = "ancien hachage fait par libsodium";
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var tag = Argon2idKdfTests.Libsodium(System.Text.Encoding.UTF8.GetBytes(Password), salt, memoryKiB, passes, tagLength);
        var encoded = $"$argon2id$v=19$m={memoryKiB},t={passes},p=1${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(tag).TrimEnd('=')}";

        var expected = memoryKiB < Argon2idPasswordHasher.MemoryKiB || passes < Argon2idPasswordHasher.Passes
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
        Assert.Equal(expected, _hasher.Verify(encoded, Password));
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.Verify(encoded, Password + "!"));
    }
}
