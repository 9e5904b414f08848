using System.Collections.Concurrent;
using System.Numerics;

namespace EspacePro.Tests.Captcha;

/// <summary>
/// The attack on the audio captcha: slide each character's recorded clip over the sound, keep
/// the placements with the smallest squared error (clip subtracted from the sound), and read
/// the characters of the best non-overlapping placements from left to right.
/// </summary>
/// <remarks>
/// Subtracting clip t at offset o leaves |x|² - (2·Σ x[o+s]·t[s] - |t|²) of squared error, so
/// the solver looks for the largest 2·correlation - |t|²; the correlations of every offset come
/// from one FFT per clip.
/// </remarks>
internal static class TemplateSolver
{
    // The clips' spectra and the FFT's twiddle factors, per FFT size: computed once per test run.
    private static readonly ConcurrentDictionary<(IReadOnlyList<(char, float[])>, int), Complex[][]> Spectra = new();
    private static readonly ConcurrentDictionary<int, Complex[]> Twiddles = new();

    public static string Solve(short[] sound, IReadOnlyList<(char Character, float[] Clip)> templates, int characters)
    {
        var longest = templates.Max(t => t.Clip.Length);
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)(sound.Length + longest));
        var spectrum = new Complex[size];
        for (var i = 0; i < sound.Length; i++)
        {
            spectrum[i] = sound[i];
        }
        Fft(spectrum, inverse: false);

        var clipSpectra = Spectra.GetOrAdd((templates, size), _ => [.. templates.Select(t =>
        {
            var padded = new Complex[size];
            for (var i = 0; i < t.Clip.Length; i++)
            {
                padded[i] = t.Clip[i];
            }
            Fft(padded, inverse: false);
            return padded;
        })]);

        // score[t][o]: how much squared error clip t removes when placed at offset o.
        var scores = new double[templates.Count][];
        var product = new Complex[size];
        for (var t = 0; t < templates.Count; t++)
        {
            var clip = templates[t].Clip;
            var energy = clip.Sum(s => (double)s * s);
            for (var i = 0; i < size; i++)
            {
                product[i] = spectrum[i] * Complex.Conjugate(clipSpectra[t][i]);
            }
            Fft(product, inverse: true);
            var offsets = Math.Max(0, sound.Length - clip.Length + 1);
            scores[t] = new double[offsets];
            for (var o = 0; o < offsets; o++)
            {
                scores[t][o] = 2 * product[o].Real / size - energy;
            }
        }

        var picks = new List<(int Offset, int Length, char Character)>();
        for (var k = 0; k < characters; k++)
        {
            var best = (Score: double.NegativeInfinity, Offset: -1, Template: -1);
            for (var t = 0; t < templates.Count; t++)
            {
                var length = templates[t].Clip.Length;
                var row = scores[t];
                for (var o = 0; o < row.Length; o++)
                {
                    if (row[o] > best.Score && !picks.Any(p => o < p.Offset + p.Length && p.Offset < o + length))
                    {
                        best = (row[o], o, t);
                    }
                }
            }
            if (best.Template < 0)
            {
                break;
            }
            picks.Add((best.Offset, templates[best.Template].Clip.Length, templates[best.Template].Character));
        }
        return new string([.. picks.OrderBy(p => p.Offset).Select(p => p.Character)]);
    }

    /// <summary>In-place radix-2 FFT; the inverse is left unscaled (the caller divides by the size).</summary>
    private static void Fft(Complex[] data, bool inverse)
    {
        var n = data.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }
            j ^= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }
        // twiddle[k] = e^(-2πik/n); the inverse uses their conjugates.
        var twiddle = Twiddles.GetOrAdd(n, size => [.. Enumerable.Range(0, size / 2).Select(k => Complex.FromPolarCoordinates(1, -2 * Math.PI * k / size))]);
        for (var length = 2; length <= n; length <<= 1)
        {
            var half = length / 2;
            var stride = n / length;
            for (var start = 0; start < n; start += length)
            {
                for (var i = 0; i < half; i++)
                {
                    var w = inverse ? Complex.Conjugate(twiddle[i * stride]) : twiddle[i * stride];
                    var even = data[start + i];
                    var odd = data[start + i + half] * w;
                    data[start + i] = even + odd;
                    data[start + i + half] = even - odd;
                }
            }
        }
    }
}
