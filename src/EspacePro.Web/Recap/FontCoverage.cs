using System.Buffers.Binary;
using System.Collections;

namespace EspacePro.Web.Recap;

/// <summary>
/// The Basic Multilingual Plane characters a TrueType font has a glyph for, read from its
/// Windows Unicode "cmap" (format 4). PDFsharp draws a missing character as an empty box and
/// gives it no usable text mapping, so user text is checked against this first.
/// </summary>
internal sealed class FontCoverage
{
    private readonly BitArray glyphs;

    private FontCoverage(BitArray glyphs) => this.glyphs = glyphs;

    public bool Covers(int codePoint) => codePoint is >= 0 and < 0x10000 && glyphs[codePoint];

    /// <summary>The characters every given font has, so text may switch weight freely.</summary>
    public static FontCoverage Intersect(params ReadOnlySpan<byte[]> fonts)
    {
        BitArray? all = null;
        foreach (var font in fonts)
        {
            var one = Read(font);
            all = all is null ? one : all.And(one);
        }
        return new FontCoverage(all ?? new BitArray(0x10000));
    }

    private static BitArray Read(ReadOnlySpan<byte> font)
    {
        var covered = new BitArray(0x10000);
        var cmap = FindTable(font, "cmap"u8);
        var subtableCount = U16(cmap, 2);
        for (var i = 0; i < subtableCount; i++)
        {
            var record = 4 + 8 * i;
            var platform = U16(cmap, record);
            var encoding = U16(cmap, record + 2);
            var subtable = cmap[(int)U32(cmap, record + 4)..];
            // Windows / Unicode BMP, the table every TrueType font meant for Unicode text has.
            if (platform == 3 && encoding == 1 && U16(subtable, 0) == 4)
            {
                ReadFormat4(subtable, covered);
                return covered;
            }
        }
        throw new InvalidDataException("The font has no Windows Unicode BMP (3,1) format 4 cmap.");
    }

    private static void ReadFormat4(ReadOnlySpan<byte> table, BitArray covered)
    {
        var segmentCount = U16(table, 6) / 2;
        var endCodes = 14;
        var startCodes = endCodes + 2 * segmentCount + 2;
        var deltas = startCodes + 2 * segmentCount;
        var rangeOffsets = deltas + 2 * segmentCount;
        for (var s = 0; s < segmentCount; s++)
        {
            var start = U16(table, startCodes + 2 * s);
            var end = U16(table, endCodes + 2 * s);
            var delta = U16(table, deltas + 2 * s);
            var rangeOffsetAt = rangeOffsets + 2 * s;
            var rangeOffset = U16(table, rangeOffsetAt);
            // 0xFFFF closes the table; it is not a character.
            for (var c = start; c <= end && c != 0xFFFF; c++)
            {
                int glyph;
                if (rangeOffset == 0)
                {
                    glyph = (c + delta) & 0xFFFF;
                }
                else
                {
                    glyph = U16(table, rangeOffsetAt + rangeOffset + 2 * (c - start));
                    glyph = glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
                }
                covered[c] = glyph != 0;
            }
        }
    }

    private static ReadOnlySpan<byte> FindTable(ReadOnlySpan<byte> font, ReadOnlySpan<byte> tag)
    {
        var tableCount = U16(font, 4);
        for (var i = 0; i < tableCount; i++)
        {
            var record = 12 + 16 * i;
            if (font.Slice(record, 4).SequenceEqual(tag))
            {
                return font.Slice((int)U32(font, record + 8), (int)U32(font, record + 12));
            }
        }
        throw new InvalidDataException("The font has no cmap table.");
    }

    private static int U16(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);

    private static uint U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
}
