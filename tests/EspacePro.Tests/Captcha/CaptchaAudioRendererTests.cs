using System.Buffers.Binary;
using System.Text;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Captcha;

namespace EspacePro.Tests.Captcha;

public sealed class CaptchaAudioRendererTests
{
    private static readonly CaptchaAudioRenderer Renderer = new();

    private static byte[] Seed(int n) => [.. Enumerable.Range(n, 32).Select(i => (byte)i)];

    [Fact]
    public void Wav_is_a_valid_riff_file_whose_data_chunk_matches_its_header()
    {
        var wav = Renderer.RenderWav("4Yc7A3", Seed(1));

        var parsed = ParsedWave.Parse(wav);

        Assert.Equal(1, parsed.Format);
        Assert.Equal(1, parsed.Channels);
        Assert.Equal(16, parsed.BitsPerSample);
        Assert.InRange(parsed.SampleRate, 8000, 16000);
        Assert.Equal(parsed.SampleRate * 2, parsed.ByteRate);
        Assert.Equal(wav.Length - parsed.DataOffset, parsed.DataLength);
    }

    [Fact]
    public void Duration_grows_with_the_number_of_characters()
    {
        var durations = new[] { "4", "4Y", "4Yc", "4Yc7A3" }
            .Select(t => ParsedWave.Parse(Renderer.RenderWav(t, Seed(2))).Duration)
            .ToArray();

        for (var i = 1; i < durations.Length; i++)
        {
            Assert.True(durations[i] > durations[i - 1] + TimeSpan.FromSeconds(0.5), $"{durations[i]} after {durations[i - 1]}");
        }
        // Six clips, five 0.35-0.85 s gaps, lead-in and tail: a few seconds, not a minute.
        Assert.InRange(durations[^1].TotalSeconds, 4, 10);
    }

    [Fact]
    public void Audio_holds_speech_over_a_quieter_babble()
    {
        var samples = ParsedWave.Parse(Renderer.RenderWav("KMW", Seed(3))).Samples;

        Assert.True(samples.Max(s => Math.Abs((int)s)) > 8000);
        // The lead-in holds only babble and hiss: present, but well below the speech.
        var leadIn = samples[..4000].Max(s => Math.Abs((int)s));
        Assert.InRange(leadIn, 201, 8000);
    }

    [Fact]
    public void Every_alphabet_character_has_a_clip_in_either_case()
    {
        var resources = typeof(CaptchaAudioRenderer).Assembly.GetManifestResourceNames();

        foreach (var c in CaptchaText.Alphabet)
        {
            foreach (var voice in CaptchaAudioRenderer.Voices)
            {
                Assert.Contains($"EspacePro.Web.Captcha.Audio.{voice}.{c}.wav", resources);
            }
            // Case is ignored: the same seed gives the same sound.
            Assert.Equal(Renderer.RenderWav(c.ToString(), Seed(4)), Renderer.RenderWav(char.ToLowerInvariant(c).ToString(), Seed(4)));
        }
    }

    [Fact]
    public void Committed_clips_are_small_16_bit_mono()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.WebProject, "Captcha", "Audio"), "*.wav", SearchOption.AllDirectories);

        Assert.Equal(CaptchaText.Alphabet.Length * CaptchaAudioRenderer.Voices.Length, files.Length);
        Assert.True(files.Sum(f => new FileInfo(f).Length) < 1024 * 1024);
        Assert.All(files, f =>
        {
            var clip = ParsedWave.Parse(File.ReadAllBytes(f));
            Assert.Equal((1, 16), (clip.Channels, clip.BitsPerSample));
            Assert.True(clip.SampleRate <= 16000);
            Assert.InRange(clip.Duration.TotalSeconds, 0.1, 1.0);
        });
    }

    [Fact]
    public void A_character_outside_the_alphabet_is_refused_without_echoing_the_text()
    {
        var error = Assert.Throws<ArgumentException>(() => Renderer.RenderWav("4YO7A3", Seed(5)));

        Assert.DoesNotContain("4YO7A3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_renders_are_all_valid()
    {
        var files = new byte[32][];
        Parallel.For(0, files.Length, i => files[i] = Renderer.RenderWav(CaptchaText.Generate(), Seed(i)));

        Assert.All(files, wav => Assert.Equal(wav.Length - 44, ParsedWave.Parse(wav).DataLength));
    }

    /// <summary>An independent reader, so the tests do not trust the renderer's own writer.</summary>
    private sealed record ParsedWave(int Format, int Channels, int SampleRate, int ByteRate, int BitsPerSample, int DataOffset, int DataLength, short[] Samples)
    {
        public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

        public static ParsedWave Parse(byte[] wav)
        {
            Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
            Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
            Assert.Equal("WAVE", Encoding.ASCII.GetString(wav, 8, 4));

            int? format = null, channels = null, rate = null, byteRate = null, bits = null;
            var offset = 12;
            while (offset + 8 <= wav.Length)
            {
                var id = Encoding.ASCII.GetString(wav, offset, 4);
                var size = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(offset + 4));
                var body = wav.AsSpan(offset + 8);
                if (id == "fmt ")
                {
                    format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                    channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                    rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                    byteRate = BinaryPrimitives.ReadInt32LittleEndian(body[8..]);
                    bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                }
                else if (id == "data")
                {
                    Assert.NotNull(format);
                    Assert.True(offset + 8 + size <= wav.Length, "data chunk runs past the end of the file");
                    var samples = new short[size / 2];
                    for (var i = 0; i < samples.Length; i++)
                    {
                        samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(i * 2)..]);
                    }
                    return new ParsedWave(format.Value, channels!.Value, rate!.Value, byteRate!.Value, bits!.Value, offset + 8, size, samples);
                }
                offset += 8 + size + (size & 1);
            }
            Assert.Fail("no data chunk");
            return null!;
        }
    }
}
