using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EspacePro.Web.Captcha;

/// <summary>
/// The random choices of one captcha render, drawn from the challenge's secret seed: the same
/// seed gives the same image and sound on every fetch and on every node, so several fetches of
/// one challenge cannot be averaged, and nobody without the seed can predict the choices.
/// </summary>
/// <remarks>
/// The stream is HMAC-SHA256(seed, label ‖ block number). <see cref="Random"/>'s own seeded
/// generator would take 32 bits of seed: few enough to find a render's seed by trying them all.
/// </remarks>
internal sealed class SeededRandom : Random
{
    public const int SeedLength = 32;

    private readonly byte[] key;
    private readonly byte[] message;
    private readonly byte[] block = new byte[32];
    private int used;
    private long blockNumber;

    public SeededRandom(ReadOnlySpan<byte> seed, string label)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"A render seed is {SeedLength} bytes.", nameof(seed));
        }
        key = seed.ToArray();
        // Each use (image, sound) reads its own stream: a label, then the block number.
        var labelBytes = Encoding.ASCII.GetBytes(label);
        message = new byte[labelBytes.Length + sizeof(long)];
        labelBytes.CopyTo(message, 0);
        used = block.Length;
    }

    public ulong NextUInt64()
    {
        if (used + sizeof(ulong) > block.Length)
        {
            BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(message.Length - sizeof(long)), blockNumber++);
            HMACSHA256.HashData(key, message, block);
            used = 0;
        }
        var value = BinaryPrimitives.ReadUInt64LittleEndian(block.AsSpan(used));
        used += sizeof(ulong);
        return value;
    }

    // 53 random bits: every double in [0, 1) this can return is equally likely.
    protected override double Sample() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public override double NextDouble() => Sample();

    public override int Next() => Next(0, int.MaxValue);

    public override int Next(int maxValue) => Next(0, maxValue);

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (ulong)((long)maxValue - minValue);
        // The modulo bias is below 2^-32 for ranges that fit an int: invisible in a layout.
        return range == 0 ? minValue : (int)(minValue + (long)(NextUInt64() % range));
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)NextUInt64();
        }
    }
}
