using System.Buffers.Binary;

namespace EspacePro.Web.Captcha;

/// <summary>16-bit mono PCM audio: the only shape the captcha clips come in and go out as.</summary>
internal sealed record PcmAudio(int SampleRate, short[] Samples);

/// <summary>Reads and writes the RIFF/WAVE container for <see cref="PcmAudio"/>.</summary>
internal static class WaveFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>
    /// Parses a WAV file by walking its chunks, since tools add LIST/fact/extensible chunks and
    /// a header is not always 44 bytes. Anything but 16-bit mono PCM is refused.
    /// </summary>
    public static PcmAudio Read(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{name}: not a RIFF/WAVE file.");
        }

        int? sampleRate = null;
        var offset = 12;
        while (offset + 8 <= file.Length)
        {
            var id = file.Slice(offset, 4);
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(offset + 4, 4));
            var bodyStart = offset + 8;
            // Streaming writers may leave the size at its maximum; take what the file holds.
            var size = (int)Math.Min(declared, (uint)(file.Length - bodyStart));
            var body = file.Slice(bodyStart, size);

            if (id.SequenceEqual("fmt "u8))
            {
                sampleRate = ReadFormat(body, name);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (sampleRate is null)
                {
                    throw new InvalidDataException($"{name}: the data chunk comes before the fmt chunk.");
                }
                var samples = new short[size / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body.Slice(i * 2, 2));
                }
                return new PcmAudio(sampleRate.Value, samples);
            }

            // Chunks are padded to an even length.
            offset = bodyStart + size + (size & 1);
        }

        throw new InvalidDataException($"{name}: no data chunk.");
    }

    /// <summary>A canonical 44-byte-header WAV file of <paramref name="audio"/>.</summary>
    public static byte[] Write(PcmAudio audio)
    {
        const int headerLength = 44;
        var dataLength = audio.Samples.Length * 2;
        var file = new byte[headerLength + dataLength];
        var span = file.AsSpan();

        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(file.Length - 8));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 1); // channels
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)audio.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)audio.SampleRate * 2); // bytes per second
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 2); // block align
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16); // bits per sample
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)dataLength);

        var data = span[headerLength..];
        for (var i = 0; i < audio.Samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data[(i * 2)..], audio.Samples[i]);
        }
        return file;
    }

    private static int ReadFormat(ReadOnlySpan<byte> fmt, string name)
    {
        if (fmt.Length < 16)
        {
            throw new InvalidDataException($"{name}: fmt chunk too short.");
        }
        var format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
        var bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        // WAVE_FORMAT_EXTENSIBLE carries the real format in the first two bytes of its sub-format GUID.
        if (format == FormatExtensible && fmt.Length >= 26)
        {
            format = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        if (format != FormatPcm || channels != 1 || bitsPerSample != 16 || sampleRate <= 0)
        {
            throw new InvalidDataException(
                $"{name}: expected 16-bit mono PCM, found format {format}, {channels} channel(s), {bitsPerSample} bits, {sampleRate} Hz.");
        }
        return sampleRate;
    }
}
