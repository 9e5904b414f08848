using System.Globalization;
using System.Text;

namespace EspacePro.Web.Passwords;

public enum PasswordStrengthLevel
{
    VeryWeak,
    Weak,
    Medium,
    Strong,
    VeryStrong,
}

public sealed record PasswordStrength(PasswordStrengthLevel Level, string Label, double Log10Guesses);

/// <summary>
/// A zxcvbn-style estimate of how many guesses an attacker needs: the password is cut into the
/// cheapest sequence of pieces — common passwords, French words and names, the user's own words
/// (by frequency rank), keyboard rows, sequences, repeats, years — and what no pattern explains
/// is paid for character by character. French dictionaries make it honest for French pass-phrases.
/// </summary>
public sealed class PasswordStrengthEstimator(PasswordDictionaries dictionaries)
{
    private const int MaxPieceLength = 32;
    private static readonly string[] KeyboardRows =
        ["azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "&é\"'(-è_çà"];

    public PasswordStrength Estimate(string password, PasswordContext context)
    {
        var normalized = PasswordText.Normalize(password);
        var text = Fold(normalized);
        var contextWords = ContextWords(context);
        var n = text.Length;
        // The separator a pass-phrase repeats between its words is guessed once, not each time.
        var separator = text.Where(c => c is ' ' or '-' or '_' or '.' or ',' or '+' or '/')
            .GroupBy(c => c).OrderByDescending(g => g.Count()).Select(g => (char?)g.Key).FirstOrDefault();
        if (n == 0)
        {
            return Level(0);
        }
        // best[i]: fewest log10 guesses to produce the first i characters.
        var best = new double[n + 1];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = 0;
        for (var i = 0; i < n; i++)
        {
            if (double.IsPositiveInfinity(best[i]))
            {
                continue;
            }
            // One piece costs its own guesses, plus a little for where it sits among the others.
            var start = best[i] + (i == 0 ? 0 : 0.3);
            Relax(best, i + 1, start + (text[i] == separator ? 0.2 : Math.Log10(CharacterSpace(text[i]))));
            var maxLength = Math.Min(n - i, MaxPieceLength);
            for (var length = 2; length <= maxLength; length++)
            {
                var piece = text.Substring(i, length);
                var guesses = PieceGuesses(piece, normalized, i, contextWords);
                if (guesses is { } g)
                {
                    Relax(best, i + length, start + Math.Log10(g));
                }
            }
        }
        return Level(best[n]);
    }

    private double? PieceGuesses(string piece, string original, int index, HashSet<string> contextWords)
    {
        double? guesses = null;
        void Take(double candidate) => guesses = guesses is { } g ? Math.Min(g, candidate) : candidate;

        if (contextWords.Contains(piece))
        {
            Take(2);
        }
        if (dictionaries.CommonPasswords.TryGetValue(piece, out var rank))
        {
            Take(rank);
        }
        if (dictionaries.FrenchWords.TryGetValue(piece, out var wordRank))
        {
            Take(wordRank);
        }
        if (piece.Length >= 3 && IsRepeat(piece))
        {
            Take(10 * piece.Length);
        }
        if (piece.Length >= 3 && (IsSequence(piece) || IsKeyboardRun(piece)))
        {
            Take(20 * piece.Length);
        }
        if (piece.Length == 4 && int.TryParse(piece, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2099)
        {
            Take(200);
        }
        if (guesses is { } found && piece.Length >= 3)
        {
            // Capitals in a dictionary piece multiply the guesses a little (first letter, all caps…).
            var segment = original.Length >= index + piece.Length ? original.Substring(index, piece.Length) : piece;
            var capitals = segment.Count(char.IsUpper);
            if (capitals > 0)
            {
                found *= capitals == 1 && char.IsUpper(segment[0]) || capitals == segment.Length ? 2 : Math.Pow(2, Math.Min(capitals, 8)) * 4;
            }
            return found;
        }
        return guesses;
    }

    private static void Relax(double[] best, int index, double value)
    {
        if (value < best[index])
        {
            best[index] = value;
        }
    }

    private static double CharacterSpace(char c) => c switch
    {
        >= '0' and <= '9' => 10,
        >= 'a' and <= 'z' => 26,
        ' ' or '-' or '_' or '.' => 5,
        _ when char.IsLetter(c) => 40,
        _ => 33,
    };

    private static bool IsRepeat(string piece)
    {
        for (var unit = 1; unit <= piece.Length / 2; unit++)
        {
            if (piece.Length % unit == 0 && string.Concat(Enumerable.Repeat(piece[..unit], piece.Length / unit)) == piece)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsSequence(string piece)
    {
        var step = piece[1] - piece[0];
        if (step is not (1 or -1))
        {
            return false;
        }
        for (var i = 2; i < piece.Length; i++)
        {
            if (piece[i] - piece[i - 1] != step)
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsKeyboardRun(string piece) =>
        KeyboardRows.Any(row => row.Contains(piece, StringComparison.Ordinal)
            || new string(row.Reverse().ToArray()).Contains(piece, StringComparison.Ordinal));

    /// <summary>Lower case without accents, so "Sécurisé" meets "securise" in the lists.</summary>
    internal static string Fold(string text)
    {
        var lower = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    internal static HashSet<string> ContextWords(PasswordContext context)
    {
        var words = new HashSet<string>(StringComparer.Ordinal)
        {
            "impots", "impot", "dgfip", "gouv", "finances", "finance", "tresor", "fisc", "espacepro", "motdepasse",
        };
        void Add(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }
            var folded = Fold(value);
            words.Add(folded.Replace(" ", "", StringComparison.Ordinal));
            foreach (var part in folded.Split([' ', '.', '-', '_', '@', '+'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Length >= 3)
                {
                    words.Add(part);
                }
            }
        }
        Add(context.FirstName);
        Add(context.LastName);
        Add(context.Email);
        Add(context.Email?.Split('@')[0]);
        Add(context.SubscriberNumber);
        return words;
    }

    public static PasswordStrength Level(double log10Guesses) => log10Guesses switch
    {
        < 7 => new(PasswordStrengthLevel.VeryWeak, "Très faible", log10Guesses),
        < 10 => new(PasswordStrengthLevel.Weak, "Faible", log10Guesses),
        < 13 => new(PasswordStrengthLevel.Medium, "Moyen", log10Guesses),
        < 16 => new(PasswordStrengthLevel.Strong, "Fort", log10Guesses),
        _ => new(PasswordStrengthLevel.VeryStrong, "Très fort", log10Guesses),
    };
}
