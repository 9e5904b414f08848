using System.Diagnostics;

namespace EspacePro.Tests.Infrastructure;

/// <summary>
/// Compares how long two request paths take, for the pages that must not tell a taken address
/// from a free one by their speed. The paths alternate, so a slow spell of the machine hits both
/// alike, and medians are compared, so a single pause (a GC, another process) does not count.
/// </summary>
public static class PathTiming
{
    public const int Tries = 15;

    /// <summary>Measurement rounds allowed before failing: a shared test machine can stall one path of a round by chance; a real difference shows in every round.</summary>
    public const int Rounds = 3;

    /// <summary>
    /// Fails unless, in one of <see cref="Rounds"/> rounds, the medians of <see cref="Tries"/>
    /// alternating runs of each path are within 25 % of the larger one. Each path runs once
    /// first to warm up; it is given the try's number (-1 for the warm-up).
    /// </summary>
    public static async Task AssertSameSpeedAsync(Func<int, Task> first, Func<int, Task> second)
    {
        await first(-1);
        await second(-1);
        var seen = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var a = new List<TimeSpan>();
            var b = new List<TimeSpan>();
            for (var i = 0; i < Tries; i++)
            {
                a.Add(await TimeAsync(() => first(round * Tries + i)));
                b.Add(await TimeAsync(() => second(round * Tries + i)));
            }
            var (medianA, medianB) = (Median(a), Median(b));
            var larger = medianA > medianB ? medianA : medianB;
            seen.Add($"{medianA.TotalMilliseconds:F1} ms / {medianB.TotalMilliseconds:F1} ms");
            TestContext.Current.TestOutputHelper?.WriteLine($"Round {round + 1}, medians: {seen[^1]}.");
            if ((medianA - medianB).Duration() <= larger * 0.25)
            {
                return;
            }
        }
        Assert.Fail($"The medians differ by more than 25 % in every round: {string.Join(", ", seen)}.");
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed;
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}

/// <summary>Timing comparisons run alone, after the parallel tests, so that no other test's work lands on one path only.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
