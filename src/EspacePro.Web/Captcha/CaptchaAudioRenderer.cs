using System.Collections.Frozen;

namespace EspacePro.Web.Captcha;

/// <summary>
/// Speaks a captcha text in French ("Ecouter l'extrait sonore") from pre-recorded clips, one per
/// character and voice (made by tools/captcha-audio/generate.sh, embedded in this assembly).
/// One instance serves every request: the clips are read once and never written to again.
/// </summary>
/// <remarks>
/// A program that slid the committed clips over the sound and kept the smallest squared error
/// read every character when the sound was the clips themselves. Each character is therefore
/// spoken by one of several voices, resampled to another pitch, stretched to another tempo and
/// given its own gain, over a babble of other characters and between gaps of random length.
/// Every choice comes from the challenge's seed, so all fetches of one challenge are the same
/// bytes and cannot be averaged. The bounds keep it a person's task: pitch and tempo within
/// ±15 %, and every character at least <see cref="AudioVariation.BabbleSnrDb"/> above the babble.
/// </remarks>
public sealed class CaptchaAudioRenderer
{
    // Same bound as the image: a captcha is CaptchaText.Length characters.
    private const int MaxCharacters = 8;

    /// <summary>The folders of Captcha/Audio, one per espeak-ng voice; the first is the plainest.</summary>
    internal static readonly string[] Voices = ["m1", "m3", "f2", "f4"];

    private const double LeadInSeconds = 0.5;   // players often clip the first instant
    private const double TailSeconds = 0.4;

    // About -44 dBFS: audible as a faint hiss under speech peaking at -3 dBFS, never masking it.
    private const int NoiseAmplitude = 200;

    private readonly FrozenDictionary<char, float[][]> clips;
    private readonly int sampleRate;

    public CaptchaAudioRenderer()
    {
        var assembly = typeof(CaptchaAudioRenderer).Assembly;
        var prefix = typeof(CaptchaAudioRenderer).Namespace + ".Audio.";
        var loaded = new Dictionary<char, float[][]>();
        int? rate = null;

        foreach (var c in CaptchaText.Alphabet)
        {
            loaded[c] = new float[Voices.Length][];
            for (var v = 0; v < Voices.Length; v++)
            {
                var resource = $"{prefix}{Voices[v]}.{c}.wav";
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
                loaded[c][v] = Array.ConvertAll(audio.Samples, s => (float)s);
            }
        }

        clips = loaded.ToFrozenDictionary();
        sampleRate = rate ?? throw new InvalidOperationException("The captcha alphabet is empty.");
    }

    /// <summary>
    /// A mono 16-bit PCM WAV file saying each character of <paramref name="text"/>, case ignored;
    /// the same <paramref name="seed"/> always gives the same bytes.
    /// </summary>
    public byte[] RenderWav(string text, ReadOnlySpan<byte> seed) =>
        WaveFile.Write(new PcmAudio(sampleRate, Mix(text, new SeededRandom(seed, "audio"), AudioVariation.Full).ToSamples()));

    /// <summary>The speech and babble tracks before they are added up, for the tests to measure.</summary>
    internal AudioMix Mix(string text, Random random, AudioVariation variation)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, MaxCharacters);

        var characters = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            characters[i] = char.ToUpperInvariant(text[i]);
            if (!clips.ContainsKey(characters[i]))
            {
                // The message leaves the character out: the text is the captcha's answer and
                // exception messages end up in logs.
                throw new ArgumentException("The text holds a character outside the captcha alphabet.", nameof(text));
            }
        }

        var spoken = new float[characters.Length][];
        for (var i = 0; i < characters.Length; i++)
        {
            spoken[i] = Vary(characters[i], random, variation, stretch: true);
            var gain = (float)Math.Pow(10, -random.NextDouble() * variation.AttenuationDb / 20);
            for (var s = 0; s < spoken[i].Length; s++)
            {
                spoken[i][s] *= gain;
            }
        }

        var gaps = new int[characters.Length - 1];
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = Samples(variation.GapSeconds.Min + random.NextDouble() * (variation.GapSeconds.Max - variation.GapSeconds.Min));
        }

        var total = Samples(LeadInSeconds) + spoken.Sum(p => p.Length) + gaps.Sum() + Samples(TailSeconds);
        var speech = new float[total];
        var spans = new (int Start, int Length)[characters.Length];
        var position = Samples(LeadInSeconds);
        for (var i = 0; i < spoken.Length; i++)
        {
            spoken[i].CopyTo(speech, position);
            spans[i] = (position, spoken[i].Length);
            position += spoken[i].Length + (i < gaps.Length ? gaps[i] : 0);
        }

        var babble = new float[total];
        if (variation.BabbleSnrDb is { } snr)
        {
            AddBabble(babble, characters, random, variation);
            ScaleBelow(babble, speech, spans, snr);
        }

        // The hiss only needs to vary, not to be secret: a fast generator seeded from the stream.
        var noiseRandom = new Random(random.Next());
        var noise = new float[total];
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = noiseRandom.Next(-NoiseAmplitude, NoiseAmplitude + 1);
        }

        return new AudioMix(speech, babble, noise, spans);
    }

    private float[] Vary(char character, Random random, AudioVariation variation, bool stretch)
    {
        var voices = clips[character];
        var clip = voices[random.Next(Math.Min(variation.Voices, voices.Length))];
        var pitch = 1 + (random.NextDouble() * 2 - 1) * variation.PitchSpread;
        var tempo = 1 + (random.NextDouble() * 2 - 1) * variation.TempoSpread;
        // Resampling by the pitch factor also shortens the clip by it; stretching without
        // changing the pitch then brings it to the tempo chosen.
        var resampled = Resample(clip, pitch);
        return stretch ? TimeStretch.Apply(resampled, pitch / tempo) : resampled;
    }

    /// <summary>
    /// Other characters of the alphabet, one after another with overlaps, over the whole sound
    /// (lead-in and gaps included): the sound can no longer be cut at its silences.
    /// </summary>
    private void AddBabble(float[] babble, char[] spokenCharacters, Random random, AudioVariation variation)
    {
        // Never a character of the answer: a person could take a faint one for part of it.
        var others = CaptchaText.Alphabet.Where(c => !spokenCharacters.Contains(c)).ToArray();
        var position = 0;
        while (position < babble.Length)
        {
            var clip = Vary(others[random.Next(others.Length)], random, variation, stretch: false);
            for (var s = 0; s < clip.Length && position + s < babble.Length; s++)
            {
                babble[position + s] += clip[s];
            }
            position += (int)(clip.Length * (0.4 + random.NextDouble() * 0.5));
        }
    }

    /// <summary>Scales the babble so that each character's span is at least <paramref name="snrDb"/> above it.</summary>
    private static void ScaleBelow(float[] babble, float[] speech, (int Start, int Length)[] spans, double snrDb)
    {
        var gain = double.MaxValue;
        foreach (var (start, length) in spans)
        {
            var speechPower = Power(speech.AsSpan(start, length));
            var babblePower = Power(babble.AsSpan(start, length));
            if (babblePower > 0)
            {
                gain = Math.Min(gain, Math.Sqrt(speechPower / babblePower / Math.Pow(10, snrDb / 10)));
            }
        }
        if (gain == double.MaxValue)
        {
            return;
        }
        for (var i = 0; i < babble.Length; i++)
        {
            babble[i] *= (float)gain;
        }
    }

    internal static double Power(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }
        return samples.Length == 0 ? 0 : sum / samples.Length;
    }

    /// <summary>Plays <paramref name="clip"/> <paramref name="factor"/> times faster: higher and shorter.</summary>
    private static float[] Resample(float[] clip, double factor)
    {
        if (factor == 1)
        {
            return (float[])clip.Clone();
        }
        var output = new float[(int)((clip.Length - 1) / factor) + 1];
        for (var i = 0; i < output.Length; i++)
        {
            var at = i * factor;
            var left = (int)at;
            var right = Math.Min(left + 1, clip.Length - 1);
            var fraction = (float)(at - left);
            output[i] = clip[left] + (clip[right] - clip[left]) * fraction;
        }
        return output;
    }

    private int Samples(double seconds) => (int)Math.Round(seconds * sampleRate);

    internal int SampleRate => sampleRate;

    /// <summary>The clips as recorded, for the tests' solver to slide over a sound.</summary>
    internal IReadOnlyList<(char Character, float[] Clip)> Templates =>
        field ??= [.. clips.SelectMany(entry => entry.Value.Select(clip => (entry.Key, clip)))];
}

/// <summary>How much a render departs from the recorded clips.</summary>
internal sealed record AudioVariation(
    int Voices, double PitchSpread, double TempoSpread, double AttenuationDb,
    (double Min, double Max) GapSeconds, double? BabbleSnrDb)
{
    /// <summary>
    /// What every captcha gets. ±15 % pitch and tempo keep a letter name a letter name; 6 dB
    /// of gain spread is the difference between two speakers; 12 dB above the babble is well
    /// within what people follow in a noisy room.
    /// </summary>
    public static readonly AudioVariation Full = new(
        CaptchaAudioRenderer.Voices.Length, PitchSpread: 0.15, TempoSpread: 0.15, AttenuationDb: 6,
        GapSeconds: (0.35, 0.85), BabbleSnrDb: 12);

    /// <summary>
    /// The render before variation (one voice, the clips as recorded, 0.5-0.7 s gaps, hiss):
    /// the tests show that their solver reads it, so its failing on <see cref="Full"/> means something.
    /// </summary>
    public static readonly AudioVariation None = new(
        1, PitchSpread: 0, TempoSpread: 0, AttenuationDb: 0, GapSeconds: (0.5, 0.7), BabbleSnrDb: null);
}

/// <summary>The tracks of a render, and where each character lies in the speech track.</summary>
internal sealed record AudioMix(float[] Speech, float[] Babble, float[] Noise, (int Start, int Length)[] Spans)
{
    public short[] ToSamples()
    {
        var mixed = new float[Speech.Length];
        var peak = 0f;
        for (var i = 0; i < mixed.Length; i++)
        {
            mixed[i] = Speech[i] + Babble[i] + Noise[i];
            peak = Math.Max(peak, Math.Abs(mixed[i]));
        }
        var scale = peak > PeakLimit ? PeakLimit / peak : 1f;
        var samples = new short[mixed.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Clamp(MathF.Round(mixed[i] * scale), short.MinValue, short.MaxValue);
        }
        return samples;
    }

    // The final mix is scaled down when a loud character and the babble add up past this.
    private const float PeakLimit = 29_000f;
}
