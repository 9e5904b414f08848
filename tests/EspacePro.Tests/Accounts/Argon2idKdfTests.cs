using System.Runtime.Intrinsics.X86;
using System.Text;
using EspacePro.Web.Accounts;
using NSec.Cryptography;

namespace EspacePro.Tests.Accounts;

/// <summary>
/// The managed Argon2id against libsodium's (NSec), the oracle: same function, so same bytes.
/// RFC 9106's Argon2id vector uses four lanes, a secret and associated data, none of which
/// the managed one supports.
/// </summary>
public sealed class Argon2idKdfTests
{
    private static readonly byte[] NonAscii = Encoding.UTF8.GetBytes("mot de passe très sûr — ﬁn 🔑");

    public static TheoryData<int, int, int, int> Parameters() => new()
    {
        // memory KiB, passes, password length (-1: non-ASCII), tag length
        { 8, 1, 0, 32 },
        { 8, 3, 1, 32 },
        { 9, 1, 1, 32 }, // m not a multiple of 4: m' = 8
        { 16, 2, 64, 64 },
        { 64, 1, 200, 100 },
        { 64, 3, -1, 33 },
        { 1024, 1, 64, 32 },
        { 1024, 2, -1, 65 },
        { 1024, 3, 0, 1024 },
        { 19456, 1, 200, 32 },
        { 19456, 2, -1, 32 },
        { 19456, 3, 1, 100 },
    };

    [Theory]
    [MemberData(nameof(Parameters))]
    public void The_managed_derivation_equals_libsodiums(int memoryKiB, int passes, int passwordLength, int tagLength)
    {
        var password = Password(passwordLength);
        var salt = Salt();

        var managed = new byte[tagLength];
        Argon2idKdf.DeriveBytes(password, salt, memoryKiB, passes, parallelism: 1, managed);

        Assert.Equal(Convert.ToHexString(Libsodium(password, salt, memoryKiB, passes, tagLength)), Convert.ToHexString(managed));
    }

    [Fact]
    public void The_reference_implementations_p1_vector_is_reproduced()
    {
        // phc-winner-argon2's test suite: "password", salt "somesalt" (8 bytes, below libsodium's
        // 16), m=65536, t=2, p=1. 64 MiB is also above what a thread keeps between hashes.
        var tag = new byte[32];
        Argon2idKdf.DeriveBytes("password"u8, "somesalt"u8, 65536, 2, 1, tag);

        Assert.Equal("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7", Convert.ToHexStringLower(tag));
        Assert.Equal("CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", Convert.ToBase64String(tag).TrimEnd('='));
    }

    [Theory]
    [InlineData(8, 1, 32)]
    [InlineData(64, 3, 100)]
    [InlineData(1024, 2, 32)]
    public void The_scalar_avx2_and_avx512_compressions_give_the_same_bytes(int memoryKiB, int passes, int tagLength)
    {
        var password = Password(-1);
        var salt = Salt();
        var expected = Convert.ToHexString(Libsodium(password, salt, memoryKiB, passes, tagLength));

        foreach (var instructions in Enum.GetValues<Argon2idCompression.Instructions>().Where(i => i <= Argon2idCompression.Widest))
        {
            var tag = new byte[tagLength];
            Argon2idKdf.DeriveBytes(password, salt, memoryKiB, passes, 1, tag, instructions);
            Assert.True(expected == Convert.ToHexString(tag), $"{instructions} differs from libsodium");
        }
    }

    [Fact]
    public void The_widest_compression_this_cpu_has_is_used()
    {
        // The comparison above covers every compression this CPU runs, and the widest is the one used.
        var expected = Avx512F.IsSupported && Avx512BW.IsSupported ? Argon2idCompression.Instructions.Avx512
            : Avx2.IsSupported ? Argon2idCompression.Instructions.Avx2
            : Argon2idCompression.Instructions.Scalar;
        Assert.Equal(expected, Argon2idCompression.Widest);
    }

    [Fact]
    public void Hashes_in_a_row_on_one_thread_reuse_the_region_correctly()
    {
        // On a thread that keeps its region, as the hashing threads do: larger, then smaller
        // (stale blocks beyond m' must not matter), then larger again.
        var results = new List<(string Expected, string Actual)>();
        var worker = new Thread(() =>
        {
            Argon2idKdf.KeepRegionOnThisThread();
            foreach (var memoryKiB in new[] { 1024, 64, 8, 19456, 1024 })
            {
                var password = Password(64);
                var salt = Salt();
                var managed = new byte[32];
                Argon2idKdf.DeriveBytes(password, salt, memoryKiB, 2, 1, managed);
                results.Add((Convert.ToHexString(Libsodium(password, salt, memoryKiB, 2, 32)), Convert.ToHexString(managed)));
            }
        });
        worker.Start();
        worker.Join();
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(r.Expected, r.Actual));
    }

    [Fact]
    public void Hashes_on_several_threads_at_once_are_right()
    {
        var cases = Enumerable.Range(0, 4).Select(i => (Password: Password(i * 10), Salt: Salt(), MemoryKiB: i % 2 == 0 ? 19456 : 1024)).ToArray();
        var expected = cases.Select(c => Convert.ToHexString(Libsodium(c.Password, c.Salt, c.MemoryKiB, 2, 32))).ToArray();
        var actual = new string[cases.Length];
        using var start = new Barrier(cases.Length);

        var threads = cases.Select((c, i) => new Thread(() =>
        {
            start.SignalAndWait();
            for (var round = 0; round < 3; round++)
            {
                var tag = new byte[32];
                Argon2idKdf.DeriveBytes(c.Password, c.Salt, c.MemoryKiB, 2, 1, tag);
                actual[i] = round == 0 || actual[i] == Convert.ToHexString(tag) ? Convert.ToHexString(tag) : "differs between rounds";
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Unsupported_parameters_are_refused()
    {
        var tag = new byte[32];
        Assert.Throws<ArgumentOutOfRangeException>(() => Argon2idKdf.DeriveBytes([1], Salt(), 64, 1, parallelism: 2, tag));
        Assert.Throws<ArgumentOutOfRangeException>(() => Argon2idKdf.DeriveBytes([1], Salt(), 7, 1, 1, tag));
        Assert.Throws<ArgumentOutOfRangeException>(() => Argon2idKdf.DeriveBytes([1], Salt(), 64, 0, 1, tag));
        Assert.Throws<ArgumentOutOfRangeException>(() => Argon2idKdf.DeriveBytes([1], new byte[7], 64, 1, 1, tag));
        Assert.Throws<ArgumentOutOfRangeException>(() => Argon2idKdf.DeriveBytes([1], Salt(), 64, 1, 1, new byte[16]));
    }

    private static byte[] Password(int length) => length < 0
        ? NonAscii
        : Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 1)).ToArray();

    private static byte[] Salt() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);

    internal static byte[] Libsodium(byte[] password, byte[] salt, int memoryKiB, int passes, int tagLength) =>
        PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = memoryKiB,
            NumberOfPasses = passes,
        }).DeriveBytes(password, salt, tagLength);
}
