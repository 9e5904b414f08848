using SkiaSharp;

namespace EspacePro.Web.Captcha;

/// <summary>
/// Draws a captcha text as a small PNG. One instance serves every request (register it as a
/// singleton): the typeface is loaded once, and every render uses its own surface, font and
/// paints, so concurrent calls share nothing mutable.
/// </summary>
public sealed class CaptchaImageRenderer : IDisposable
{
    public const int Width = 180;
    public const int Height = 60;

    // Longer texts would not fit the fixed canvas legibly; the captcha is always CaptchaText.Length.
    private const int MaxCharacters = 8;

    // Text colours: all dark, at least 7:1 against the near-white background (WCAG AAA), and
    // distinct hues so neighbouring characters do not merge for people with low vision.
    private static readonly SKColor[] InkColours =
    [
        new(0x1E, 0x3A, 0x8A), // dark blue
        new(0x7F, 0x1D, 0x1D), // dark red
        new(0x14, 0x53, 0x2D), // dark green
        new(0x4C, 0x1D, 0x95), // dark violet
        new(0x1F, 0x29, 0x37), // slate
        new(0x78, 0x35, 0x0F), // dark brown
    ];

    // Noise is kept well lighter than the ink: it is there to bother segmenting OCR, not people.
    private static readonly SKColor[] NoiseColours =
    [
        new(0x93, 0xA3, 0xC0),
        new(0xB4, 0x9A, 0x9A),
        new(0x9C, 0xB8, 0xA4),
        new(0xAE, 0xA2, 0xC6),
    ];

    private const float HorizontalMargin = 8f;
    // Tight spacing lets rotated characters touch (harder to segment) without covering each other.
    private const float CharacterSpacing = 3f;
    private const float MaxRotationDegrees = 18f;
    // The one size glyph outlines are read at (then scaled): large enough for exact curves.
    private const float OutlineSize = 64f;

    private static readonly SKColor BackgroundTop = new(0xFC, 0xFC, 0xFD);
    private static readonly SKColor BackgroundBottom = new(0xEE, 0xF1, 0xF6);

    private readonly SKTypeface typeface;
    private volatile bool disposed;

    public CaptchaImageRenderer(string fontFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(fontFile);
        if (!File.Exists(fontFile))
        {
            throw new FileNotFoundException("Captcha font not found; the npm package dejavu-fonts-ttf provides it.", fontFile);
        }
        typeface = SKTypeface.FromFile(fontFile)
            ?? throw new InvalidOperationException($"'{fontFile}' is not a font SkiaSharp can load.");
    }

    /// <summary>
    /// The PNG bytes of <paramref name="text"/> drawn at <see cref="Width"/>×<see cref="Height"/>;
    /// the same <paramref name="seed"/> always gives the same bytes, so fetching one challenge's
    /// image again shows nothing new (several draws of one text could be averaged into a clean one).
    /// </summary>
    public byte[] RenderPng(string text, ReadOnlySpan<byte> seed)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, MaxCharacters);

        // Every layout choice comes from the challenge's secret seed.
        var random = new SeededRandom(seed, "image");

        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface.");
        var canvas = surface.Canvas;

        DrawBackground(canvas);
        DrawNoiseLines(canvas, random, count: 3);
        DrawCharacters(canvas, random, text);
        // A line and dots drawn over the text, faint enough that the glyphs stay readable.
        DrawNoiseLines(canvas, random, count: 1);
        DrawDots(canvas, random, count: 70);

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        typeface.Dispose();
    }

    private static void DrawBackground(SKCanvas canvas)
    {
        using var shader = SKShader.CreateLinearGradient(
            new SKPoint(0, 0), new SKPoint(0, Height),
            [BackgroundTop, BackgroundBottom], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(0, 0, Width, Height, paint);
    }

    private void DrawCharacters(SKCanvas canvas, Random random, string text)
    {
        // Every glyph comes from one font at one size, as an outline that the canvas then scales
        // and rotates. Skia caches glyphs per (size, transform): drawing text at random sizes and
        // angles made every character a new cache entry with its own FreeType scaler, and the
        // cache (up to 2,048 entries) held about 100 MB of native memory after a few hundred
        // images (bench/README.md). Outlines at one size are one entry, whatever the jitter.
        using var font = new SKFont(typeface, OutlineSize) { Hinting = SKFontHinting.None, LinearMetrics = true };
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };

        // Pick every character's size first and measure its ink, so wide glyphs (W, M) get the
        // room they need: fixed slots made neighbours overlap and hide each other.
        var outlines = new SKPath[text.Length];
        var scales = new float[text.Length];
        var widths = new float[text.Length];
        try
        {
            var run = 0f;
            for (var i = 0; i < text.Length; i++)
            {
                outlines[i] = font.GetGlyphPath(font.GetGlyph(text[i]))
                    ?? throw new InvalidOperationException("The captcha font has no outline for a captcha character.");
                // Lower-case glyphs are shorter; a larger size keeps them as legible as capitals.
                var size = (char.IsLower(text[i]) ? 40f : 34f) + (float)(random.NextDouble() * 4);
                scales[i] = size / OutlineSize;
                widths[i] = outlines[i].TightBounds.Width * scales[i];
                run += widths[i] + CharacterSpacing;
            }
            run -= CharacterSpacing;

            // Shrink the whole text when it would not fit, then centre it with a little jitter.
            var scale = Math.Min(1f, (Width - 2 * HorizontalMargin) / run);
            var x = (Width - run * scale) / 2 + (float)(random.NextDouble() * 4 - 2);
            var firstColour = random.Next(InkColours.Length);

            for (var i = 0; i < text.Length; i++)
            {
                // Consecutive characters never share a colour.
                paint.Color = InkColours[(firstColour + i + random.Next(2) * 2) % InkColours.Length];

                var width = widths[i] * scale;
                var centreX = x + width / 2;
                var centreY = Height / 2f + (float)(random.NextDouble() * 8 - 4);
                var angle = (float)(random.NextDouble() * 2 - 1) * MaxRotationDegrees;

                // Rotate about the centre of the glyph's ink rather than its baseline: capitals,
                // x-height letters and descenders (p, y) then all sit mid-height and stay inside the image.
                var ink = outlines[i].TightBounds;
                canvas.Save();
                canvas.Translate(centreX, centreY);
                canvas.RotateDegrees(angle);
                canvas.Scale(scales[i] * scale);
                canvas.Translate(-ink.MidX, -ink.MidY);
                canvas.DrawPath(outlines[i], paint);
                canvas.Restore();

                x += width + CharacterSpacing * scale;
            }
        }
        finally
        {
            foreach (var outline in outlines)
            {
                outline?.Dispose();
            }
        }
    }

    private static void DrawNoiseLines(SKCanvas canvas, Random random, int count)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var builder = new SKPathBuilder();
        for (var i = 0; i < count; i++)
        {
            paint.Color = NoiseColours[random.Next(NoiseColours.Length)];
            paint.StrokeWidth = 1f + (float)random.NextDouble();
            builder.MoveTo(0, random.Next(Height));
            builder.CubicTo(
                Width / 3f, random.Next(Height),
                2 * Width / 3f, random.Next(Height),
                Width, random.Next(Height));
            // Detach hands over the path and leaves the builder empty for the next line.
            using var path = builder.Detach();
            canvas.DrawPath(path, paint);
        }
    }

    private static void DrawDots(SKCanvas canvas, Random random, int count)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        for (var i = 0; i < count; i++)
        {
            paint.Color = NoiseColours[random.Next(NoiseColours.Length)];
            canvas.DrawCircle(random.Next(Width), random.Next(Height), 0.6f + (float)random.NextDouble(), paint);
        }
    }
}
