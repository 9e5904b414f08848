using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Captcha;
using SkiaSharp;

namespace EspacePro.Tests.Captcha;

public sealed class CaptchaImageRendererTests : IDisposable
{
    private readonly CaptchaImageRenderer renderer = new(Path.Combine(RepoPaths.FontDirectory, "DejaVuSans-Bold.ttf"));

    public void Dispose() => renderer.Dispose();

    private static byte[] Seed(int n) => [.. Enumerable.Range(n, 32).Select(i => (byte)i)];

    [Fact]
    public void Png_decodes_to_a_180_by_60_image()
    {
        using var bitmap = SKBitmap.Decode(renderer.RenderPng("4Yc7A3", Seed(0)));

        Assert.NotNull(bitmap);
        Assert.Equal(CaptchaImageRenderer.Width, bitmap.Width);
        Assert.Equal(CaptchaImageRenderer.Height, bitmap.Height);
        Assert.Equal(180, bitmap.Width);
        Assert.Equal(60, bitmap.Height);
    }

    [Fact]
    public void Different_texts_give_different_images()
    {
        using var first = SKBitmap.Decode(renderer.RenderPng("4Yc7A3", Seed(0)));
        using var second = SKBitmap.Decode(renderer.RenderPng("HKMPRW", Seed(0)));

        Assert.NotEqual(first.Bytes, second.Bytes);
    }

    [Fact]
    public void Text_is_dark_ink_on_a_light_background()
    {
        using var bitmap = SKBitmap.Decode(renderer.RenderPng("4Yc7A3", Seed(0)));

        var dark = 0;
        var light = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                var luminance = 0.2126 * p.Red + 0.7152 * p.Green + 0.0722 * p.Blue;
                if (luminance < 90) dark++;
                if (luminance > 200) light++;
            }
        }

        // Six bold characters cover several hundred pixels; most of the image stays background.
        Assert.InRange(dark, 600, 5000);
        Assert.True(light > bitmap.Width * bitmap.Height / 2, $"only {light} light pixels");
    }

    [Fact]
    public void Concurrent_renders_all_produce_valid_images()
    {
        var images = new byte[64][];
        Parallel.For(0, images.Length, i => images[i] = renderer.RenderPng(CaptchaText.Generate(), Seed(i)));

        Assert.All(images, png =>
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(180, bitmap.Width);
        });
    }

    [Fact]
    public void Renders_share_one_glyph_cache_entry_whatever_their_sizes_and_angles()
    {
        // Each render jitters sizes and angles. Skia caches glyphs per size and transform, with
        // native memory behind every entry: drawn as text, 200 images filled the cache with
        // hundreds of entries (about 100 MB on a node, bench/README.md). Outlines read at one size
        // are one entry per font; other test classes' renderers may add theirs meanwhile.
        renderer.RenderPng("4Yc7A3", Seed(0));
        var before = SKGraphics.GetFontCacheCountUsed();

        for (var i = 0; i < 200; i++)
        {
            renderer.RenderPng(CaptchaText.Generate(), Seed(i));
        }

        Assert.InRange(SKGraphics.GetFontCacheCountUsed(), 0, before + 8);
    }

    [Fact]
    public void One_seed_always_gives_the_same_image_and_another_seed_another_one()
    {
        var first = renderer.RenderPng("4Yc7A3", Seed(7));

        Assert.Equal(first, renderer.RenderPng("4Yc7A3", Seed(7)));
        Assert.NotEqual(first, renderer.RenderPng("4Yc7A3", Seed(8)));
    }

    [Fact]
    public void Empty_or_oversized_text_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => renderer.RenderPng("", Seed(0)));
        Assert.ThrowsAny<ArgumentException>(() => renderer.RenderPng(new string('A', 50), Seed(0)));
    }

    [Fact]
    public void A_missing_font_fails_at_construction()
    {
        Assert.Throws<FileNotFoundException>(() => new CaptchaImageRenderer(Path.Combine(RepoPaths.FontDirectory, "missing.ttf")));
    }

    [Fact]
    public void A_disposed_renderer_refuses_to_render()
    {
        var disposable = new CaptchaImageRenderer(Path.Combine(RepoPaths.FontDirectory, "DejaVuSans-Bold.ttf"));
        disposable.Dispose();
        disposable.Dispose();

        Assert.Throws<ObjectDisposedException>(() => disposable.RenderPng("4Yc7A3", Seed(0)));
    }
}
