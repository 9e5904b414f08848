using System.Security.Cryptography;
using System.Text;

namespace EspacePro.Web.Captcha;

/// <summary>The characters a captcha asks for, and how the user's answer is compared.</summary>
public static class CaptchaText
{
    public const int Length = 6;

    /// <summary>
    /// Every character a captcha can contain, in its canonical (upper-case) form; each has a
    /// spoken clip in <c>Captcha/Audio</c> (see tools/captcha-audio/generate.sh).
    /// </summary>
    /// <remarks>
    /// A character is left out when it can be mistaken for another one, by eye (rotated,
    /// crossed by a noise line, at 60 px high) or by ear (French letter names):
    /// <list type="bullet">
    /// <item>0 O Q D (o d q): round shapes that rotation and noise turn into each other.</item>
    /// <item>1 I J L T (i j l t): vertical strokes; T is also close to 7.</item>
    /// <item>2/Z, 5/S, 8/B, 9/G (g): look-alike pairs. Both sides go, since the user cannot know
    /// which one we kept. 6 stays because its look-alikes b and G are gone.</item>
    /// <item>N (a rotated Z) and V (close to U and Y).</item>
    /// <item>E: "e" is the faintest letter name to hear, and e/c look alike in lower case.</item>
    /// <item>By ear: the French names ending in "-é" (B C D G P T V) are easily misheard; only C
    /// ("cé") and P ("pé") remain, and N ("enne"/"emme") and S ("esse"/"effe") are already out.</item>
    /// </list>
    /// 16 characters, i.e. 4 bits each and 24 bits per captcha: enough for a single-use,
    /// short-lived challenge whose job is to slow automation, not to be a secret.
    /// </remarks>
    public const string Alphabet = "3467ACFHKMPRUWXY";

    /// <summary>
    /// Letters that may also be shown in lower case: their lower-case forms are unlike any
    /// other glyph we show (no o, d, e, n, v, q, g in the set). Lower case varies the image at
    /// no cost to the user because <see cref="Matches"/> ignores case. h, k, m, w stay upper
    /// case: h/k/b and m/w (rotated) are too close, and f looks like t.
    /// </summary>
    private const string LowerCaseAllowed = "ACPRUXY";

    // Bounds the work Matches does on hostile input; a real answer is 6 characters and a few spaces.
    private const int MaxTypedLength = 64;

    /// <summary>A new captcha text from the CSPRNG, e.g. "4Yc7A3".</summary>
    public static string Generate()
    {
        return string.Create(Length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
                if (LowerCaseAllowed.Contains(c, StringComparison.Ordinal) && RandomNumberGenerator.GetInt32(2) == 0)
                {
                    c = char.ToLowerInvariant(c);
                }
                span[i] = c;
            }
        });
    }

    /// <summary>
    /// Whether <paramref name="typed"/> is the answer to <paramref name="expected"/>: case and
    /// spaces (around and between characters) are ignored, because the same characters differ
    /// only in how they were drawn or spoken. The final comparison takes the same time wherever
    /// the first wrong character is.
    /// </summary>
    public static bool Matches(string expected, string? typed)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(typed) || typed.Length > MaxTypedLength)
        {
            return false;
        }

        var expectedBytes = Canonical(expected);
        var typedBytes = Canonical(typed);

        // The length is not a secret (always Length), so leaving early on it leaks nothing.
        return expectedBytes.Length == Length
            && CryptographicOperations.FixedTimeEquals(expectedBytes, typedBytes);
    }

    private static byte[] Canonical(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
