using System.Globalization;
using System.Text;
using PdfSharp.Drawing;

namespace EspacePro.Web.Recap;

/// <summary>
/// Greedy line breaking for user text, which PDFsharp does not do: values wrap at spaces, and a
/// word wider than the column (an e-mail address has no space) is cut, preferably after one of
/// its punctuation marks, otherwise at any character.
/// </summary>
internal static class TextWrapper
{
    // A cut after one of these reads naturally in an address ("lila.rosemonde@" / "dgfip.fr").
    private const string PreferredBreaks = "@.-_/+";

    private const char ReplacementCharacter = '\uFFFD';

    /// <summary>Splits <paramref name="text"/> (already <see cref="Clean"/>ed) into lines no wider than <paramref name="width"/>.</summary>
    public static List<string> Wrap(string text, XFont font, double width, XGraphics graphics)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            WrapParagraph(paragraph, font, width, graphics, lines);
        }
        return lines;
    }

    /// <summary>
    /// Makes user text safe to draw. Invalid UTF-16 becomes U+FFFD; NFC turns "e" + U+0301 into
    /// the "é" the font has; line breaks split paragraphs; other control characters become
    /// spaces; invisible format characters (bidi overrides, zero-width joiners) are dropped, as
    /// PDFsharp neither shapes nor reorders text; a character the font lacks becomes U+FFFD,
    /// which shows the reader something is missing instead of an empty box. That includes
    /// everything outside the BMP: PDFsharp 6.2 writes a wrong text mapping for it.
    /// </summary>
    public static string Clean(string? text, FontCoverage coverage)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        var composed = WellFormed(text).Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(composed.Length);
        var previousWasCr = false;
        foreach (var rune in composed.EnumerateRunes())
        {
            var isCr = rune.Value == '\r';
            if (isCr || rune.Value is '\n' or '\u2028' or '\u2029')
            {
                // "\r\n" is one break, not two.
                if (!(previousWasCr && rune.Value == '\n'))
                {
                    builder.Append('\n');
                }
            }
            else
            {
                switch (Rune.GetUnicodeCategory(rune))
                {
                    case UnicodeCategory.Control:
                    case UnicodeCategory.SpaceSeparator:
                        builder.Append(' ');
                        break;
                    case UnicodeCategory.Format:
                        break;
                    default:
                        builder.Append(coverage.Covers(rune.Value) ? (char)rune.Value : Replacement(coverage));
                        break;
                }
            }
            previousWasCr = isCr;
        }
        return builder.ToString();
    }

    // '?' only for a font without U+FFFD, which DejaVu is not.
    private static char Replacement(FontCoverage coverage) => coverage.Covers(ReplacementCharacter) ? ReplacementCharacter : '?';

    private static string WellFormed(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }
        // EnumerateRunes yields U+FFFD for a lone surrogate and keeps valid pairs.
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    private static void WrapParagraph(string paragraph, XFont font, double width, XGraphics graphics, List<string> lines)
    {
        var spaceWidth = graphics.MeasureString(" ", font).Width;
        var line = new StringBuilder();
        var lineWidth = 0.0;
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var wordWidth = graphics.MeasureString(word, font).Width;
            if (line.Length > 0 && lineWidth + spaceWidth + wordWidth <= width)
            {
                line.Append(' ').Append(word);
                lineWidth += spaceWidth + wordWidth;
                continue;
            }
            if (line.Length > 0)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (wordWidth <= width)
            {
                line.Append(word);
                lineWidth = wordWidth;
                continue;
            }
            var pieces = BreakWord(word, font, width, graphics);
            lines.AddRange(pieces[..^1]);
            line.Append(pieces[^1]);
            lineWidth = graphics.MeasureString(pieces[^1], font).Width;
        }
        lines.Add(line.ToString());
    }

    private static List<string> BreakWord(string word, XFont font, double width, XGraphics graphics)
    {
        // Cut between text elements so a base letter keeps its accents and a surrogate pair stays whole.
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(word);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }
        var widths = elements.ConvertAll(element => graphics.MeasureString(element, font).Width);

        var pieces = new List<string>();
        var start = 0;
        while (start < elements.Count)
        {
            var end = start;
            var used = 0.0;
            // At least one element per line, even if a single glyph were wider than the column.
            while (end < elements.Count && (end == start || used + widths[end] <= width))
            {
                used += widths[end];
                end++;
            }
            if (end < elements.Count)
            {
                end = PreferredCut(elements, widths, start, end, width);
            }
            pieces.Add(string.Concat(elements.GetRange(start, end - start)));
            start = end;
        }
        return pieces;
    }

    /// <summary>Moves a cut back to just after a punctuation mark, unless that wastes over a third of the line.</summary>
    private static int PreferredCut(List<string> elements, List<double> widths, int start, int end, double width)
    {
        var prefixWidth = 0.0;
        for (var i = start; i < end; i++)
        {
            prefixWidth += widths[i];
        }
        for (var cut = end - 1; cut > start; cut--)
        {
            prefixWidth -= widths[cut];
            if (prefixWidth < width * 2 / 3)
            {
                break;
            }
            if (elements[cut - 1].Length == 1 && PreferredBreaks.Contains(elements[cut - 1][0], StringComparison.Ordinal))
            {
                return cut;
            }
        }
        return end;
    }
}
