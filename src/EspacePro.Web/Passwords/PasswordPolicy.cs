using Microsoft.Extensions.Options;

namespace EspacePro.Web.Passwords;

/// <summary>
/// The rules a new password must follow (docs/security.md R2). Length is the main defence;
/// the other rules only refuse what an attacker tries first: known passwords (also repeated or
/// padded to reach the length), the person's and the service's names, runs, sequences and
/// keyboard rows. A pass-phrase that merely contains a common word is fine. The history rules
/// (current and last 5 passwords) need the hashes and are checked by the caller.
/// </summary>
public sealed class PasswordPolicy(IOptions<PasswordOptions> options, PasswordDictionaries dictionaries)
{
    /// <summary>
    /// Below 10^10 guesses with only the common passwords, the context words and patterns, a
    /// password of the minimum length is a known password dressed up, not a choice of its own:
    /// under zxcvbn's "very unguessable" line (about 12 days offline at 10,000 guesses a second).
    /// </summary>
    internal const double GuessableLog10 = 10;

    private const int LongestRun = 5;        // "aaaaaa" (6) is refused
    private const int LongestSequence = 7;   // "abcdefgh", "12345678" (8) are refused
    private const int LongestKeyboardRow = 7; // "azertyui" (8) is refused
    private const int KeyboardRowTurns = 2;
    private const int MostListedPasswordsInPadding = 2;
    private const int MostOwnCharactersInPadding = 3;

    internal int MaximumLength => options.Value.MaximumLength;

    /// <summary>French messages, one per broken rule, in a stable order; empty when the password is acceptable.</summary>
    public IReadOnlyList<string> Validate(string password, PasswordContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var normalized = PasswordText.Normalize(password ?? string.Empty);
        var length = PasswordText.CodePoints(normalized);
        var errors = new List<string>();
        if (length < settings.MinimumLength)
        {
            errors.Add(PasswordMessages.TooShort(settings.MinimumLength));
        }
        if (length > settings.MaximumLength)
        {
            // Nothing more is worth computing on an oversized input.
            errors.Add(PasswordMessages.TooLong(settings.MaximumLength));
            return errors;
        }
        if (length == 0)
        {
            return errors;
        }

        if (IsEmail(normalized, context.Email))
        {
            errors.Add(PasswordMessages.SameAsEmail);
        }

        var contextWords = PasswordContextWords.For(context);
        var common = IsCommonPassword(normalized);
        var personal = IsMostlyContextWords(normalized, contextWords);
        var runs = HasLongRunOrSequence(normalized);

        // A short password is refused for its length already; judging its guesses would blame
        // its few characters on whatever pattern they happen to form.
        if (length >= settings.MinimumLength)
        {
            var analysis = GuessAnalyzer.Analyze(normalized, new GuessDictionaries(
                dictionaries.CommonPasswords, MatchSources.CommonPassword, dictionaries.Keyboards, contextWords));
            common |= IsPaddedCommonPassword(analysis);
            if (analysis.Log10Guesses < GuessableLog10)
            {
                var sources = analysis.Sources;
                common |= sources.HasFlag(MatchSources.CommonPassword);
                personal |= sources.HasFlag(MatchSources.Context);
                runs |= sources.HasFlag(MatchSources.Pattern) && !sources.HasFlag(MatchSources.CommonPassword) && !sources.HasFlag(MatchSources.Context);
            }
        }

        if (common)
        {
            errors.Add(PasswordMessages.Common);
        }
        if (personal)
        {
            errors.Add(PasswordMessages.PersonalInformation);
        }
        if (runs)
        {
            errors.Add(PasswordMessages.RunOrSequence);
        }
        return errors;
    }

    /// <summary>
    /// Nearly all of the password is one or two listed passwords, with years, digits, repeats or
    /// keyboard walks around them ("motdepasse2024motdepasse", "Bonjour2024Bonjour!!"). The list
    /// ranks what English-speaking users choose, so a French favourite ranks low there and the
    /// guess count alone would let it through; three or more different words make a phrase.
    /// </summary>
    private static bool IsPaddedCommonPassword(GuessAnalysis analysis)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var ownCharacters = 0;
        foreach (var match in analysis.Sequence)
        {
            if (match.Pattern == MatchPattern.Bruteforce)
            {
                ownCharacters += match.Length;
            }
            else if (match.Sources.HasFlag(MatchSources.CommonPassword))
            {
                listed.Add(PasswordText.Fold(analysis.Text.Substring(match.Start, match.Length)));
            }
        }
        return listed.Count is >= 1 and <= MostListedPasswordsInPadding && ownCharacters <= MostOwnCharactersInPadding;
    }

    /// <summary>The most characters covered by one block repeated back to back ("abcabc", "toto toto ").</summary>
    private static int LongestRepeat(string text)
    {
        var longest = 0;
        for (var i = 0; i < text.Length; i++)
        {
            for (var period = 1; i + 2 * period <= text.Length; period++)
            {
                var count = 1;
                while (i + (count + 1) * period <= text.Length
                    && text.AsSpan(i + count * period, period).SequenceEqual(text.AsSpan(i, period)))
                {
                    count++;
                }
                if (count >= 2)
                {
                    longest = Math.Max(longest, count * period);
                }
            }
        }
        return longest;
    }

    private static bool IsEmail(string password, string? email) =>
        !string.IsNullOrWhiteSpace(email)
        && string.Equals(password.Trim(), PasswordText.Normalize(email.Trim()), StringComparison.OrdinalIgnoreCase);

    /// <summary>The whole password, folded, without separators and read as l33t, is a listed password.</summary>
    private bool IsCommonPassword(string password)
    {
        var letters = new string(PasswordText.Fold(password).Where(char.IsLetterOrDigit).ToArray());
        if (letters.Length == 0)
        {
            return false;
        }
        var list = dictionaries.CommonPasswords;
        if (list.ContainsKey(letters))
        {
            return true;
        }
        var folded = PasswordText.Fold(password);
        return GuessAnalyzer.L33tVariants(folded).Any(variant =>
            list.ContainsKey(new string(variant.Where(char.IsLetterOrDigit).ToArray())));
    }

    /// <summary>Half or more of the letters and digits belong to context words (plain or l33t).</summary>
    private static bool IsMostlyContextWords(string password, IReadOnlyList<string> contextWords)
    {
        var folded = PasswordText.Fold(password);
        var covered = new bool[folded.Length];
        var texts = GuessAnalyzer.L33tVariants(folded);
        texts.Add(folded);
        foreach (var text in texts)
        {
            foreach (var word in contextWords)
            {
                for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
                {
                    Array.Fill(covered, true, at, word.Length);
                }
            }
        }
        int significant = 0, personal = 0;
        for (var i = 0; i < folded.Length; i++)
        {
            if (char.IsLetterOrDigit(folded[i]))
            {
                significant++;
                personal += covered[i] ? 1 : 0;
            }
        }
        return significant > 0 && personal * 2 >= significant;
    }

    private bool HasLongRunOrSequence(string password)
    {
        var folded = PasswordText.Fold(password);
        int run = 1, sequence = 1, lastDelta = 0;
        for (var i = 1; i < folded.Length; i++)
        {
            run = folded[i] == folded[i - 1] ? run + 1 : 1;
            var delta = folded[i] - folded[i - 1];
            var sameKind = (char.IsAsciiLetterLower(folded[i]) && char.IsAsciiLetterLower(folded[i - 1]))
                || (char.IsAsciiDigit(folded[i]) && char.IsAsciiDigit(folded[i - 1]));
            sequence = sameKind && Math.Abs(delta) == 1 ? (delta == lastDelta ? sequence + 1 : 2) : 1;
            lastDelta = sequence > 1 ? delta : 0;
            if (run > LongestRun || sequence > LongestSequence)
            {
                return true;
            }
        }
        // "Tr0ub4dor&3Tr0ub4dor&3": a password typed twice is as strong as once.
        if (LongestRepeat(folded) * 3 >= folded.Length * 2)
        {
            return true;
        }
        foreach (var graph in dictionaries.Keyboards)
        {
            foreach (var walk in GuessAnalyzer.KeyboardWalks(password, graph))
            {
                if (walk.End - walk.Start + 1 > LongestKeyboardRow && walk.Turns <= KeyboardRowTurns)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
