using System.Collections.Frozen;

namespace EspacePro.Web.Passwords;

/// <summary>Where a part of a password comes from; a repeat carries what its repeated unit came from.</summary>
[Flags]
internal enum MatchSources
{
    None = 0,
    CommonPassword = 1,
    Word = 2,
    Context = 4,
    Pattern = 8,
}

internal enum MatchPattern { Dictionary, Spatial, Repeat, Sequence, Year, Date, Bruteforce }

/// <summary>A part of the password [Start, End] (UTF-16 indexes, inclusive) and how many guesses it costs.</summary>
internal sealed record Match(int Start, int End, MatchPattern Pattern, double Log10Guesses, MatchSources Sources)
{
    public int Length => End - Start + 1;
}

/// <summary>
/// The cheapest way found to guess a password: log10 of the guesses and the parts used, as
/// positions in <paramref name="Text"/> (the password, or the pass-phrase without its separator).
/// </summary>
internal sealed record GuessAnalysis(double Log10Guesses, IReadOnlyList<Match> Sequence, string Text)
{
    public MatchSources Sources => Sequence.Aggregate(MatchSources.None, (sources, match) => sources | match.Sources);
}

/// <summary>The dictionaries an analysis looks words up in.</summary>
internal sealed class GuessDictionaries
{
    public GuessDictionaries(WordRanks words, MatchSources source, IReadOnlyList<KeyboardGraph> keyboards, IReadOnlyList<string> contextWords)
    {
        Words = words;
        WordSource = source;
        Keyboards = keyboards;
        var context = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < contextWords.Count; i++)
        {
            context.TryAdd(contextWords[i], i + 1);
        }
        ContextWords = context.GetAlternateLookup<ReadOnlySpan<char>>();
        MaximumContextLength = context.Count == 0 ? 0 : context.Keys.Max(w => w.Length);
    }

    public WordRanks Words { get; }

    public MatchSources WordSource { get; }

    /// <summary>Longest listed word: no longer part of a password needs a look-up.</summary>
    public int MaximumWordLength => Words.MaximumLength;

    public IReadOnlyList<KeyboardGraph> Keyboards { get; }

    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ContextWords { get; }

    public int MaximumContextLength { get; }
}

/// <summary>
/// A port of the zxcvbn estimator (Wheeler, USENIX Security 2016) as zxcvbn-ts does it: find every
/// dictionary word (plain, reversed, l33t, capitalised), keyboard walk, repeat, sequence, year and
/// date in the password, then the sequence of non-overlapping parts, with brute force between them,
/// that needs the fewest guesses. Guesses are kept as log10 so that 128 characters never overflow.
/// </summary>
internal static class GuessAnalyzer
{
    private const double BruteforceCardinalityLog10 = 1; // 10 guesses per unmatched character
    private const double MinGuessesBeforeGrowingSequenceLog10 = 4; // 10,000
    private const int MinimumWordLength = 2;
    private const int YearGuesses = 100; // 1900-2099, the plausible years tried first
    private const int DaysInYear = 365;

    private static readonly double Log10SingleCharMin = Math.Log10(10);
    private static readonly double Log10MultiCharMin = Math.Log10(50);
    private static readonly double[] Log10Factorial = BuildLog10Factorial(512);

    // Separators of a pass-phrase: an attacker tries words joined by one of these.
    private const string Separators = " -_.,;:/+*";

    // zxcvbn's l33t table, reversed: what each substitute can stand for.
    private static readonly FrozenDictionary<char, char[]> L33t = new Dictionary<char, char[]>
    {
        ['4'] = ['a'], ['@'] = ['a'], ['8'] = ['b'], ['('] = ['c'], ['{'] = ['c'], ['['] = ['c'], ['<'] = ['c'],
        ['3'] = ['e'], ['6'] = ['g'], ['9'] = ['g'], ['1'] = ['i', 'l'], ['!'] = ['i'], ['|'] = ['i', 'l'],
        ['7'] = ['l', 't'], ['0'] = ['o'], ['$'] = ['s'], ['5'] = ['s'], ['+'] = ['t'], ['%'] = ['x'], ['2'] = ['z'],
    }.ToFrozenDictionary();

    private const int MaximumL33tVariants = 16;

    /// <summary>
    /// Analyses a normalised password. A pass-phrase is also tried without its separator (plus
    /// the guesses for choosing that separator), since attackers join words with one.
    /// </summary>
    public static GuessAnalysis Analyze(string password, GuessDictionaries dictionaries)
    {
        var cache = new Dictionary<string, (double Log10, MatchSources Sources)>(StringComparer.Ordinal);
        var full = MostGuessable(password, Omnimatch(password, dictionaries, cache), excludeAdditive: false);
        var separator = DominantSeparator(password);
        if (separator is null)
        {
            return full;
        }
        var stripped = password.Replace(separator.Value.ToString(), string.Empty, StringComparison.Ordinal);
        if (stripped.Length == 0)
        {
            return full;
        }
        var joined = MostGuessable(stripped, Omnimatch(stripped, dictionaries, cache), excludeAdditive: false);
        var joinedLog10 = joined.Log10Guesses + Math.Log10(Separators.Length);
        return joinedLog10 < full.Log10Guesses ? joined with { Log10Guesses = joinedLog10 } : full;
    }

    private static char? DominantSeparator(string password)
    {
        char? best = null;
        var bestCount = 1; // one separator is not a phrase
        foreach (var separator in Separators)
        {
            var count = password.Count(c => c == separator);
            if (count > bestCount)
            {
                best = separator;
                bestCount = count;
            }
        }
        return best;
    }

    private static List<Match> Omnimatch(string password, GuessDictionaries dictionaries, Dictionary<string, (double Log10, MatchSources Sources)> cache)
    {
        var folded = PasswordText.Fold(password);
        var matches = new List<Match>();
        AddDictionaryMatches(matches, password, folded, dictionaries);
        AddSpatialMatches(matches, password, dictionaries.Keyboards);
        AddRepeatMatches(matches, password, folded, dictionaries, cache);
        AddSequenceMatches(matches, folded);
        AddYearAndDateMatches(matches, folded);
        return matches;
    }

    // ---- Dictionary: plain, reversed and l33t, in the word lists and the context words ----

    private static void AddDictionaryMatches(List<Match> matches, string password, string folded, GuessDictionaries dictionaries)
    {
        var n = folded.Length;
        ScanWords(folded, dictionaries, (i, j, rank, source) =>
            matches.Add(new Match(i, j, MatchPattern.Dictionary, Math.Log10(rank) + UppercaseVariationsLog10(password.AsSpan(i, j - i + 1)), source)));

        var reversed = Reverse(folded);
        ScanWords(reversed, dictionaries, (i, j, rank, source) =>
        {
            var start = n - 1 - j;
            var end = n - 1 - i;
            matches.Add(new Match(start, end, MatchPattern.Dictionary,
                Math.Log10(rank) + Math.Log10(2) + UppercaseVariationsLog10(password.AsSpan(start, end - start + 1)), source));
        });

        foreach (var variant in L33tVariants(folded))
        {
            ScanWords(variant, dictionaries, (i, j, rank, source) =>
            {
                if (!folded.AsSpan(i, j - i + 1).SequenceEqual(variant.AsSpan(i, j - i + 1)))
                {
                    matches.Add(new Match(i, j, MatchPattern.Dictionary,
                        Math.Log10(rank) + UppercaseVariationsLog10(password.AsSpan(i, j - i + 1)) + L33tVariationsLog10(folded.AsSpan(i, j - i + 1), variant.AsSpan(i, j - i + 1)),
                        source));
                }
            });
        }
    }

    private static void ScanWords(string text, GuessDictionaries dictionaries, Action<int, int, int, MatchSources> found)
    {
        var n = text.Length;
        var longest = Math.Max(dictionaries.MaximumWordLength, dictionaries.MaximumContextLength);
        for (var i = 0; i < n; i++)
        {
            var last = Math.Min(n, i + longest);
            for (var end = i + MinimumWordLength; end <= last; end++)
            {
                var candidate = text.AsSpan(i, end - i);
                if (dictionaries.Words.TryGetValue(candidate, out var rank))
                {
                    found(i, end - 1, rank, dictionaries.WordSource);
                }
                if (candidate.Length <= dictionaries.MaximumContextLength && dictionaries.ContextWords.TryGetValue(candidate, out var contextRank))
                {
                    found(i, end - 1, contextRank, MatchSources.Context);
                }
            }
        }
    }

    /// <summary>The folded password with its l33t characters read as letters, one mapping per variant.</summary>
    internal static List<string> L33tVariants(string folded)
    {
        var present = folded.Where(L33t.ContainsKey).Distinct().ToArray();
        var variants = new List<string>();
        if (present.Length == 0)
        {
            return variants;
        }
        var choices = new int[present.Length];
        while (variants.Count < MaximumL33tVariants)
        {
            var buffer = folded.ToCharArray();
            for (var k = 0; k < buffer.Length; k++)
            {
                var index = Array.IndexOf(present, buffer[k]);
                if (index >= 0)
                {
                    buffer[k] = L33t[present[index]][choices[index]];
                }
            }
            variants.Add(new string(buffer));

            // Next combination, like an odometer over the ambiguous substitutes.
            var position = 0;
            while (position < present.Length && ++choices[position] == L33t[present[position]].Length)
            {
                choices[position++] = 0;
            }
            if (position == present.Length)
            {
                break;
            }
        }
        return variants;
    }

    private static double UppercaseVariationsLog10(ReadOnlySpan<char> token)
    {
        int upper = 0, lower = 0;
        foreach (var c in token)
        {
            if (char.IsUpper(c))
            {
                upper++;
            }
            else if (char.IsLower(c))
            {
                lower++;
            }
        }
        if (upper == 0)
        {
            return 0;
        }
        // Capitalised, last letter upper or all upper: what people do, tried first.
        var firstUpperOnly = upper == 1 && char.IsUpper(FirstLetter(token));
        var lastUpperOnly = upper == 1 && char.IsUpper(LastLetter(token));
        if (lower == 0 || firstUpperOnly || lastUpperOnly)
        {
            return Math.Log10(2);
        }
        return Math.Log10(SumOfBinomials(upper + lower, Math.Min(upper, lower)));
    }

    private static char FirstLetter(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (char.IsLetter(c))
            {
                return c;
            }
        }
        return ' ';
    }

    private static char LastLetter(ReadOnlySpan<char> token)
    {
        for (var i = token.Length - 1; i >= 0; i--)
        {
            if (char.IsLetter(token[i]))
            {
                return token[i];
            }
        }
        return ' ';
    }

    private static double L33tVariationsLog10(ReadOnlySpan<char> original, ReadOnlySpan<char> variant)
    {
        var total = 0.0;
        var seen = new HashSet<char>();
        for (var i = 0; i < original.Length; i++)
        {
            var substitute = original[i];
            if (substitute == variant[i] || !seen.Add(substitute))
            {
                continue;
            }
            var letter = variant[i];
            int subbed = 0, unsubbed = 0;
            for (var k = 0; k < original.Length; k++)
            {
                if (original[k] == substitute)
                {
                    subbed++;
                }
                else if (original[k] == letter)
                {
                    unsubbed++;
                }
            }
            total += unsubbed == 0 ? Math.Log10(2) : Math.Log10(SumOfBinomials(subbed + unsubbed, Math.Min(subbed, unsubbed)));
        }
        return total;
    }

    // ---- Keyboard walks ----

    private static void AddSpatialMatches(List<Match> matches, string password, IReadOnlyList<KeyboardGraph> keyboards)
    {
        foreach (var graph in keyboards)
        {
            foreach (var (start, end, turns, shifted) in KeyboardWalks(password, graph))
            {
                matches.Add(new Match(start, end, MatchPattern.Spatial, SpatialGuessesLog10(graph, end - start + 1, turns, shifted), MatchSources.Pattern));
            }
        }
    }

    /// <summary>Walks of at least 3 keys on a layout, with their turns and shifted keys (zxcvbn's spatial matcher).</summary>
    internal static IEnumerable<(int Start, int End, int Turns, int Shifted)> KeyboardWalks(string password, KeyboardGraph graph)
    {
        var i = 0;
        while (i < password.Length - 1)
        {
            var j = i + 1;
            int? lastDirection = null;
            var turns = 0;
            var shifted = graph.ShiftedCharacters.Contains(password[i]) ? 1 : 0;
            while (true)
            {
                var found = false;
                if (j < password.Length && graph.Adjacency.TryGetValue(password[j - 1], out var neighbours))
                {
                    var current = password[j];
                    for (var direction = 0; direction < neighbours.Length; direction++)
                    {
                        var pair = neighbours[direction];
                        var at = pair?.IndexOf(current, StringComparison.Ordinal) ?? -1;
                        if (at < 0)
                        {
                            continue;
                        }
                        found = true;
                        if (at == 1)
                        {
                            shifted++;
                        }
                        if (lastDirection != direction)
                        {
                            turns++;
                            lastDirection = direction;
                        }
                        break;
                    }
                }
                if (found)
                {
                    j++;
                    continue;
                }
                if (j - i > 2)
                {
                    yield return (i, j - 1, turns, shifted);
                }
                i = j;
                break;
            }
        }
    }

    private static double SpatialGuessesLog10(KeyboardGraph graph, int length, int turns, int shifted)
    {
        var guesses = 0.0;
        for (var i = 2; i <= length; i++)
        {
            var possibleTurns = Math.Min(turns, i - 1);
            for (var j = 1; j <= possibleTurns; j++)
            {
                guesses += Binomial(i - 1, j - 1) * graph.StartingPositions * Math.Pow(graph.AverageDegree, j);
            }
        }
        var log10 = Math.Log10(Math.Max(guesses, 1));
        if (shifted > 0)
        {
            var unshifted = length - shifted;
            log10 += unshifted == 0 ? Math.Log10(2) : Math.Log10(SumOfBinomials(shifted + unshifted, Math.Min(shifted, unshifted)));
        }
        return log10;
    }

    // ---- Repeats: "aaaa", "abcabc", "motdepassemotdepasse" ----

    private static void AddRepeatMatches(List<Match> matches, string password, string folded, GuessDictionaries dictionaries, Dictionary<string, (double Log10, MatchSources Sources)> cache)
    {
        var n = folded.Length;
        int previousPeriod = 0, previousEnd = -1;
        for (var i = 0; i < n - 1; i++)
        {
            int bestPeriod = 0, bestCount = 0;
            for (var period = 1; i + 2 * period <= n; period++)
            {
                var candidate = folded.AsSpan(i, period);
                var count = 1;
                while (i + (count + 1) * period <= n && folded.AsSpan(i + count * period, period).SequenceEqual(candidate))
                {
                    count++;
                }
                if (count >= 2 && count * period > bestCount * bestPeriod)
                {
                    bestPeriod = period;
                    bestCount = count;
                }
            }
            if (bestCount < 2)
            {
                continue;
            }
            var end = i + bestCount * bestPeriod - 1;
            // A suffix of the repeat just found adds nothing.
            if (bestPeriod == previousPeriod && end == previousEnd)
            {
                continue;
            }
            previousPeriod = bestPeriod;
            previousEnd = end;

            var unitText = password.Substring(i, bestPeriod);
            if (!cache.TryGetValue(unitText, out var unit))
            {
                var unitAnalysis = MostGuessable(unitText, Omnimatch(unitText, dictionaries, cache), excludeAdditive: true);
                unit = (unitAnalysis.Log10Guesses, unitAnalysis.Sources);
                cache[unitText] = unit;
            }
            matches.Add(new Match(i, end, MatchPattern.Repeat, unit.Log10 + Math.Log10(bestCount), unit.Sources | MatchSources.Pattern));
        }
    }

    // ---- Sequences: "abcdef", "97531", "zyxw" ----

    private static void AddSequenceMatches(List<Match> matches, string folded)
    {
        const int maximumDelta = 5;
        var n = folded.Length;
        if (n < 2)
        {
            return;
        }
        var start = 0;
        int? lastDelta = null;
        for (var k = 1; k < n; k++)
        {
            var delta = folded[k] - folded[k - 1];
            lastDelta ??= delta;
            if (delta == lastDelta)
            {
                continue;
            }
            Add(start, k - 1, lastDelta.Value);
            start = k - 1;
            lastDelta = delta;
        }
        Add(start, n - 1, lastDelta!.Value);

        void Add(int i, int j, int delta)
        {
            if ((j - i > 1 || Math.Abs(delta) == 1) && Math.Abs(delta) is > 0 and <= maximumDelta)
            {
                var first = folded[i];
                double baseGuesses = first is 'a' or 'z' or '0' or '1' or '9' ? 4 : char.IsAsciiDigit(first) ? 10 : 26;
                if (delta < 0)
                {
                    baseGuesses *= 2;
                }
                matches.Add(new Match(i, j, MatchPattern.Sequence, Math.Log10(baseGuesses * (j - i + 1)), MatchSources.Pattern));
            }
        }
    }

    // ---- Years and dates ----

    private static void AddYearAndDateMatches(List<Match> matches, string folded)
    {
        var n = folded.Length;
        for (var i = 0; i + 4 <= n; i++)
        {
            if (IsDigits(folded.AsSpan(i, 4)) && IsYear(Number(folded.AsSpan(i, 4)), 4))
            {
                matches.Add(new Match(i, i + 3, MatchPattern.Year, Math.Log10(YearGuesses), MatchSources.Pattern));
            }
        }
        var dateLog10 = Math.Log10(DaysInYear * YearGuesses);
        for (var i = 0; i < n; i++)
        {
            if (!char.IsAsciiDigit(folded[i]))
            {
                continue;
            }
            // Without separators: ddmmyy, ddmmyyyy, yyyymmdd.
            foreach (var length in (ReadOnlySpan<int>)[6, 8])
            {
                if (i + length <= n && IsDigits(folded.AsSpan(i, length)) && IsCompactDate(folded.AsSpan(i, length)))
                {
                    matches.Add(new Match(i, i + length - 1, MatchPattern.Date, dateLog10, MatchSources.Pattern));
                }
            }
            // With one separator twice: 12/05/1985, 1985-05-12, 12.5.85.
            if (TryReadSeparatedDate(folded, i, out var end))
            {
                matches.Add(new Match(i, end, MatchPattern.Date, dateLog10 + Math.Log10(4), MatchSources.Pattern));
            }
        }
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static int Number(ReadOnlySpan<char> digits) => int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsDayMonth(int day, int month) => day is >= 1 and <= 31 && month is >= 1 and <= 12;

    private static bool IsYear(int year, int digits) => digits == 2 || year is >= 1900 and <= 2099;

    private static bool IsCompactDate(ReadOnlySpan<char> digits) => digits.Length == 6
        ? IsDayMonth(Number(digits[..2]), Number(digits[2..4])) || IsDayMonth(Number(digits[2..4]), Number(digits[..2]))
        : (IsDayMonth(Number(digits[..2]), Number(digits[2..4])) && IsYear(Number(digits[4..]), 4))
          || (IsYear(Number(digits[..4]), 4) && IsDayMonth(Number(digits[6..]), Number(digits[4..6])));

    private static bool TryReadSeparatedDate(string text, int start, out int end)
    {
        end = -1;
        var first = DigitRun(text, start, 4);
        if (first == 0 || start + first >= text.Length)
        {
            return false;
        }
        var separator = text[start + first];
        if ("/-._ ".IndexOf(separator, StringComparison.Ordinal) < 0)
        {
            return false;
        }
        var secondStart = start + first + 1;
        var second = DigitRun(text, secondStart, 2);
        if (second == 0 || secondStart + second >= text.Length || text[secondStart + second] != separator)
        {
            return false;
        }
        var thirdStart = secondStart + second + 1;
        var third = DigitRun(text, thirdStart, 4);
        if (third == 0)
        {
            return false;
        }
        var a = Number(text.AsSpan(start, first));
        var b = Number(text.AsSpan(secondStart, second));
        var c = Number(text.AsSpan(thirdStart, third));
        var valid = first == 4
            ? IsYear(a, 4) && third <= 2 && IsDayMonth(c, b)
            : first <= 2 && third is 2 or 4 && IsYear(c, third) && (IsDayMonth(a, b) || IsDayMonth(b, a));
        if (!valid)
        {
            return false;
        }
        end = thirdStart + third - 1;
        return true;
    }

    private static int DigitRun(string text, int start, int maximum)
    {
        var length = 0;
        while (start + length < text.Length && length < maximum && char.IsAsciiDigit(text[start + length]))
        {
            length++;
        }
        // A longer digit run is not this part of a date.
        return start + length < text.Length && char.IsAsciiDigit(text[start + length]) ? 0 : length;
    }

    // ---- The search for the cheapest sequence of parts (zxcvbn's most_guessable_match_sequence) ----

    private readonly record struct Step(int Length, Match Match, double Pi, double G);

    internal static GuessAnalysis MostGuessable(string password, List<Match> matches, bool excludeAdditive)
    {
        var n = password.Length;
        if (n == 0)
        {
            return new GuessAnalysis(0, [], password);
        }
        var byEnd = new List<Match>[n];
        for (var k = 0; k < n; k++)
        {
            byEnd[k] = [];
        }
        foreach (var match in matches)
        {
            byEnd[match.End].Add(match);
        }
        var optimal = new List<Step>[n];
        for (var k = 0; k < n; k++)
        {
            optimal[k] = [];
            foreach (var match in byEnd[k])
            {
                var guesses = EstimateLog10(match, n);
                if (match.Start > 0)
                {
                    foreach (var previous in optimal[match.Start - 1])
                    {
                        Update(k, match, guesses, previous.Length + 1, previous.Pi);
                    }
                }
                else
                {
                    Update(k, match, guesses, 1, 0);
                }
            }

            var whole = Bruteforce(password, 0, k);
            Update(k, whole, EstimateLog10(whole, n), 1, 0);
            for (var i = 1; i <= k; i++)
            {
                var tail = Bruteforce(password, i, k);
                var tailGuesses = EstimateLog10(tail, n);
                foreach (var previous in optimal[i - 1])
                {
                    // Two brute-force parts side by side are one brute-force part.
                    if (previous.Match.Pattern != MatchPattern.Bruteforce)
                    {
                        Update(k, tail, tailGuesses, previous.Length + 1, previous.Pi);
                    }
                }
            }
        }

        var best = optimal[n - 1].MinBy(step => step.G);
        var sequence = new List<Match>();
        var position = n - 1;
        var length = best.Length;
        while (position >= 0)
        {
            var step = optimal[position].First(s => s.Length == length);
            sequence.Add(step.Match);
            position = step.Match.Start - 1;
            length--;
        }
        sequence.Reverse();
        return new GuessAnalysis(best.G, sequence, password);

        void Update(int k, Match match, double guessesLog10, int length, double previousPi)
        {
            var pi = guessesLog10 + previousPi;
            var g = Log10Factorial[Math.Min(length, Log10Factorial.Length - 1)] + pi;
            if (!excludeAdditive)
            {
                g = Log10Add(g, (length - 1) * MinGuessesBeforeGrowingSequenceLog10);
            }
            var steps = optimal[k];
            foreach (var competitor in steps)
            {
                if (competitor.Length <= length && competitor.G <= g)
                {
                    return;
                }
            }
            steps.RemoveAll(s => s.Length == length);
            steps.Add(new Step(length, match, pi, g));
        }
    }

    private static Match Bruteforce(string password, int start, int end)
    {
        var codePoints = 0;
        for (var i = start; i <= end; i++)
        {
            if (!char.IsLowSurrogate(password[i]))
            {
                codePoints++;
            }
        }
        var log10 = codePoints * BruteforceCardinalityLog10;
        // zxcvbn: a brute-force part is never cheaper than a matched part of the same size.
        log10 = Math.Max(log10, codePoints == 1 ? Math.Log10(11) : Math.Log10(51));
        return new Match(start, end, MatchPattern.Bruteforce, log10, MatchSources.None);
    }

    /// <summary>A part of the password is never cheaper than 10 (one char) or 50 guesses.</summary>
    private static double EstimateLog10(Match match, int passwordLength)
    {
        if (match.Length >= passwordLength)
        {
            return Math.Max(match.Log10Guesses, 0);
        }
        return Math.Max(match.Log10Guesses, match.Length == 1 ? Log10SingleCharMin : Log10MultiCharMin);
    }

    // ---- Arithmetic ----

    private static double Log10Add(double a, double b)
    {
        var (high, low) = a >= b ? (a, b) : (b, a);
        return high + Math.Log10(1 + Math.Pow(10, low - high));
    }

    private static double[] BuildLog10Factorial(int size)
    {
        var table = new double[size];
        for (var i = 2; i < size; i++)
        {
            table[i] = table[i - 1] + Math.Log10(i);
        }
        return table;
    }

    private static double Binomial(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return 0;
        }
        k = Math.Min(k, n - k);
        var result = 1.0;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }
        return result;
    }

    private static double SumOfBinomials(int n, int upTo)
    {
        var sum = 0.0;
        for (var i = 1; i <= upTo; i++)
        {
            sum += Binomial(n, i);
        }
        return Math.Max(sum, 1);
    }

    private static string Reverse(string text)
    {
        var chars = text.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }
}
