using System.Runtime.Intrinsics;

namespace EspacePro.Web.Captcha;

/// <summary>
/// Changes the length of speech without changing its pitch (WSOLA: overlap-add of windowed
/// frames, each taken where it best continues the previous one, so voiced sounds stay smooth).
/// </summary>
internal static class TimeStretch
{
    // 24 ms frames at 16 kHz, half overlapping: several pitch periods of any voice.
    private const int Frame = 384;
    private const int Hop = Frame / 2;
    // How far (±4 ms) a frame may move from its nominal place to line up with the previous one.
    private const int Tolerance = 64;
    // Candidates are tried every other sample: half the work, and a sample's shift is inaudible.
    private const int SearchStep = 2;

    private static readonly float[] Window = [.. Enumerable.Range(0, Frame).Select(s => (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * s / Frame)))];

    /// <summary>The speech <paramref name="ratio"/> times as long (0.5 to 2).</summary>
    public static float[] Apply(float[] input, double ratio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratio, 0.5);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ratio, 2.0);
        if (Math.Abs(ratio - 1) < 0.001 || input.Length < 2 * Frame)
        {
            return input;
        }

        var length = (int)(input.Length * ratio);
        var sum = new float[length + Frame];
        var weight = new float[length + Frame];
        var previous = 0;
        for (var k = 0; k * Hop < length; k++)
        {
            var nominal = (int)Math.Round(k * Hop / ratio);
            var start = k == 0 ? 0 : BestStart(input, nominal, previous + Hop);
            var at = k * Hop;
            for (var s = 0; s < Frame; s++)
            {
                var source = start + s;
                sum[at + s] += Window[s] * (source < input.Length ? input[source] : 0f);
                weight[at + s] += Window[s];
            }
            previous = start;
        }

        var output = new float[length];
        for (var i = 0; i < length; i++)
        {
            output[i] = weight[i] > 1e-3f ? sum[i] / weight[i] : 0f;
        }
        return output;
    }

    /// <summary>The start near <paramref name="nominal"/> whose first half looks most like the natural continuation.</summary>
    private static int BestStart(float[] input, int nominal, int natural)
    {
        var first = Math.Max(0, nominal - Tolerance);
        var last = Math.Min(input.Length - Hop, nominal + Tolerance);
        if (natural + Hop > input.Length || first > last)
        {
            return Math.Clamp(nominal, 0, Math.Max(0, input.Length - 1));
        }
        var target = input.AsSpan(natural, Hop);
        var best = first;
        var bestScore = float.NegativeInfinity;
        for (var candidate = first; candidate <= last; candidate += SearchStep)
        {
            var score = Dot(target, input.AsSpan(candidate, Hop));
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    // Four lanes whatever the processor, so the sums (and the sound) are the same on every node.
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector128<float>.Zero;
        var i = 0;
        for (; i <= a.Length - 4; i += 4)
        {
            sum += Vector128.Create(a.Slice(i, 4)) * Vector128.Create(b.Slice(i, 4));
        }
        var total = Vector128.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }
        return total;
    }
}
