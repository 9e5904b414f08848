using System.Collections.Frozen;

namespace EspacePro.Web.Captcha;

/// <summary>
/// Speaks a captcha text in French ("Ecouter l'extrait sonore") by joining one pre-recorded
/// clip per character (made by tools/captcha-audio/generate.sh, embedded in this assembly).
/// One instance serves every request: the clips are read once and never written to again.
/// </summary>
public sealed class CaptchaAudioRenderer
{
    // Same bound as the image: a captcha is CaptchaText.Length characters.
    private const int MaxCharacters = 8;

    private const double LeadInSeconds = 0.5;   // players often clip the first instant
    private const double GapSeconds = 0.6;
    private const double GapJitterSeconds = 0.1; // so two renders of one text are not byte-identical
    private const double TailSeconds = 0.4;

    // About -44 dBFS: audible as a faint hiss under speech peaking at -3 dBFS, never masking it.
    private const int NoiseAmplitude = 200;

    private readonly FrozenDictionary<char, short[]> clips;
    private readonly int sampleRate;

    public CaptchaAudioRenderer()
    {
        var assembly = typeof(CaptchaAudioRenderer).Assembly;
        var prefix = typeof(CaptchaAudioRenderer).Namespace + ".Audio.";
        var loaded = new Dictionary<char, short[]>();
        int? rate = null;

        foreach (var c in CaptchaText.Alphabet)
        {
            var resource = $"{prefix}{c}.wav";
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Missing captcha clip '{resource}'; run tools/captcha-audio/generate.sh.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);

            var audio = WaveFile.Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), resource);
            if (rate is not null && audio.SampleRate != rate)
            {
                throw new InvalidOperationException($"Captcha clip '{resource}' is at {audio.SampleRate} Hz, the others at {rate} Hz.");
            }
            rate = audio.SampleRate;
            loaded[c] = audio.Samples;
        }

        clips = loaded.ToFrozenDictionary();
        sampleRate = rate ?? throw new InvalidOperationException("The captcha alphabet is empty.");
    }

    /// <summary>A mono 16-bit PCM WAV file saying each character of <paramref name="text"/>, case ignored.</summary>
    public byte[] RenderWav(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, MaxCharacters);

        var parts = new short[text.Length][];
        for (var i = 0; i < text.Length; i++)
        {
            // The message leaves the character out: the text is the captcha's answer and
            // exception messages end up in logs.
            parts[i] = clips.GetValueOrDefault(char.ToUpperInvariant(text[i]))
                ?? throw new ArgumentException("The text holds a character outside the captcha alphabet.", nameof(text));
        }

        // Random.Shared is thread-safe; timing and noise only need to vary, not to be secret.
        var random = Random.Shared;
        var gaps = new int[text.Length - 1];
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = Samples(GapSeconds + (random.NextDouble() * 2 - 1) * GapJitterSeconds);
        }

        var total = Samples(LeadInSeconds) + parts.Sum(p => p.Length) + gaps.Sum() + Samples(TailSeconds);
        var output = new short[total];
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (short)random.Next(-NoiseAmplitude, NoiseAmplitude + 1);
        }

        var position = Samples(LeadInSeconds);
        for (var i = 0; i < parts.Length; i++)
        {
            var clip = parts[i];
            for (var s = 0; s < clip.Length; s++)
            {
                // Clips peak at -3 dBFS, but clamp anyway rather than wrap around on overflow.
                output[position + s] = (short)Math.Clamp(output[position + s] + clip[s], short.MinValue, short.MaxValue);
            }
            position += clip.Length + (i < gaps.Length ? gaps[i] : 0);
        }

        return WaveFile.Write(new PcmAudio(sampleRate, output));
    }

    private int Samples(double seconds) => (int)Math.Round(seconds * sampleRate);
}
