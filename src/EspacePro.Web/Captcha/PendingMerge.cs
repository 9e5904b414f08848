// Temporary until the captcha renderers land from their branch.
namespace EspacePro.Web.Captcha;

public static class CaptchaText
{
    public static string Generate() => "4YC7S3";
    public static bool Matches(string expected, string? typed) => string.Equals(expected, typed?.Trim(), StringComparison.OrdinalIgnoreCase);
}

public sealed class CaptchaImageRenderer(string fontFile)
{
    public string FontFile => fontFile;
    public byte[] RenderPng(string text) => [];
}

public sealed class CaptchaAudioRenderer
{
    public byte[] RenderWav(string text) => [];
}
