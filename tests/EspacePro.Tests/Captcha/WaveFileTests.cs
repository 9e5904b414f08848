using System.Buffers.Binary;
using System.Text;
using EspacePro.Web.Captcha;

namespace EspacePro.Tests.Captcha;

public sealed class WaveFileTests
{
    [Fact]
    public void Reader_walks_past_extra_and_odd_sized_chunks()
    {
        // fmt, then a 3-byte LIST chunk (padded to 4), then data: a header of 56 bytes, not 44.
        var file = new List<byte>();
        file.AddRange("RIFF"u8.ToArray());
        file.AddRange(new byte[4]);
        file.AddRange("WAVE"u8.ToArray());
        file.AddRange(Chunk("fmt ", Fmt(format: 1, channels: 1, rate: 8000, bits: 16)));
        file.AddRange(Chunk("LIST", [1, 2, 3]));
        file.AddRange(Chunk("data", [0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80]));
        var bytes = file.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);

        var audio = WaveFile.Read(bytes, "test");

        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(new short[] { 1, -1, short.MinValue }, audio.Samples);
    }

    [Fact]
    public void Reader_refuses_stereo_or_8_bit_or_non_wave_input()
    {
        Assert.Throws<InvalidDataException>(() => WaveFile.Read(Wave(Fmt(1, 2, 16000, 16)), "stereo"));
        Assert.Throws<InvalidDataException>(() => WaveFile.Read(Wave(Fmt(1, 1, 16000, 8)), "8-bit"));
        Assert.Throws<InvalidDataException>(() => WaveFile.Read(Encoding.ASCII.GetBytes("not a wave file at all"), "text"));
    }

    [Fact]
    public void Written_file_reads_back_the_same()
    {
        var audio = new PcmAudio(16000, [0, 1, -1, short.MaxValue, short.MinValue]);

        var read = WaveFile.Read(WaveFile.Write(audio), "round trip");

        Assert.Equal(audio.SampleRate, read.SampleRate);
        Assert.Equal(audio.Samples, read.Samples);
    }

    private static byte[] Wave(byte[] fmt)
    {
        var body = "WAVE"u8.ToArray().Concat(Chunk("fmt ", fmt)).Concat(Chunk("data", [0, 0])).ToArray();
        return Chunk("RIFF", body);
    }

    private static byte[] Fmt(int format, int channels, int rate, int bits)
    {
        var fmt = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, (ushort)format);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(fmt.AsSpan(4), rate);
        BinaryPrimitives.WriteInt32LittleEndian(fmt.AsSpan(8), rate * channels * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        return fmt;
    }

    private static byte[] Chunk(string id, byte[] body)
    {
        var chunk = new byte[8 + body.Length + (body.Length & 1)];
        Encoding.ASCII.GetBytes(id).CopyTo(chunk, 0);
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(4), body.Length);
        body.CopyTo(chunk, 8);
        return chunk;
    }
}
