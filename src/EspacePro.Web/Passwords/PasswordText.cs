using System.Text;

namespace EspacePro.Web.Passwords;

/// <summary>How a password is measured and normalised before any rule or hash sees it: in Unicode code points after NFKC.</summary>
public static class PasswordText
{
    /// <summary>
    /// NFKC, so that the same password typed on another keyboard or pasted from another source
    /// (full-width letters, ligatures, composed or decomposed accents) hashes the same.
    /// Nothing is trimmed: spaces are part of a pass-phrase.
    /// </summary>
    public static string Normalize(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        // string.Normalize throws on lone surrogates; a browser never sends them (form posts are
        // UTF-8), so replacing them with U+FFFD only makes a forged request deterministic.
        return ReplaceLoneSurrogates(password).Normalize(NormalizationForm.FormKC);
    }

    /// <summary>Length in Unicode code points: an emoji counts as one character, as a user sees it.</summary>
    public static int CodePoints(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var count = 0;
        foreach (var _ in password.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    /// <summary>
    /// Whether a typed password is within <see cref="PasswordOptions.MaximumCodePoints"/> once
    /// normalised, the way the password rules count it. Longer input is refused before any
    /// normalisation or hashing: NFKC never makes a string more than four times shorter in
    /// UTF-16 units for what users type (a decomposed accent is 2 units for 1 code point, an
    /// emoji 2 for 1), so that bound only stops oversized posts early.
    /// </summary>
    public static bool IsWithinMaximum(string? password) =>
        password is not null
        && password.Length <= 4 * PasswordOptions.MaximumCodePoints
        && CodePoints(Normalize(password)) <= PasswordOptions.MaximumCodePoints;

    /// <summary>The first <paramref name="maximum"/> code points, never splitting a surrogate pair.</summary>
    internal static string TruncateCodePoints(string text, int maximum)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (count == maximum)
            {
                return text[..i];
            }
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            count++;
        }
        return text;
    }

    /// <summary>
    /// Lower case without accents, one char for one char (so positions still match the
    /// original): "Sécurisé" and "securise" are the same word to an attacker's dictionary.
    /// </summary>
    internal static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = Fold(source[i]);
        }
    });

    internal static char Fold(char c)
    {
        var lower = char.ToLowerInvariant(c);
        return lower < FoldTable.Length ? FoldTable[lower] : lower;
    }

    // Latin-1 Supplement and Latin Extended-A/B: every letter whose canonical decomposition is a
    // base letter followed by combining marks maps to that base letter.
    private static readonly char[] FoldTable = BuildFoldTable();

    private static char[] BuildFoldTable()
    {
        var table = new char[0x250];
        for (var c = 0; c < table.Length; c++)
        {
            table[c] = (char)c;
            if (c < 0xC0 || char.IsSurrogate((char)c))
            {
                continue;
            }
            var decomposed = ((char)c).ToString().Normalize(NormalizationForm.FormD);
            if (decomposed.Length > 1 && decomposed[0] < 0x80 && char.IsLetter(decomposed[0]))
            {
                table[c] = decomposed[0];
            }
        }
        return table;
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired)
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                builder ??= new StringBuilder(text, 0, i, text.Length);
                builder.Append('\uFFFD');
                continue;
            }
            builder?.Append(c);
        }
        return builder?.ToString() ?? text;
    }
}
