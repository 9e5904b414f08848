using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace EspacePro.Web.Recap;

/// <summary>
/// PDFsharp's font resolver is process-global and may be set only once (a later, different
/// resolver throws once fonts were used). This single instance is installed once and serves
/// every font folder a renderer registers, each under its own family name, so a second
/// renderer, even on another folder, only adds faces instead of fighting over the setting.
/// </summary>
internal sealed class RecapFontResolver : IFontResolver
{
    public static RecapFontResolver Instance { get; } = new();

    private static readonly Lock InstallLock = new();

    private readonly ConcurrentDictionary<string, RecapFontFamily> familiesByDirectory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecapFontFamily> familiesByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> faces = new(StringComparer.Ordinal);
    private readonly Lock registerLock = new();

    private RecapFontResolver()
    {
    }

    /// <summary>Installs the resolver (once) and returns the family serving <paramref name="fontDirectory"/>.</summary>
    public static RecapFontFamily Register(string fontDirectory)
    {
        Install();
        return Instance.GetOrAddFamily(Path.TrimEndingDirectorySeparator(Path.GetFullPath(fontDirectory)));
    }

    private static void Install()
    {
        lock (InstallLock)
        {
            var current = GlobalFontSettings.FontResolver;
            if (ReferenceEquals(current, Instance))
            {
                return;
            }
            if (current is not null)
            {
                // Replacing it would break whoever installed it, and PDFsharp refuses anyway once
                // a font has been resolved: say so at start-up rather than at the first download.
                throw new InvalidOperationException(
                    $"Another PDFsharp font resolver ({current.GetType().FullName}) is already installed; the recap PDF needs its own.");
            }
            GlobalFontSettings.FontResolver = Instance;
        }
    }

    private RecapFontFamily GetOrAddFamily(string directory)
    {
        if (familiesByDirectory.TryGetValue(directory, out var existing))
        {
            return existing;
        }
        lock (registerLock)
        {
            if (familiesByDirectory.TryGetValue(directory, out existing))
            {
                return existing;
            }
            // Read both files before publishing anything, so a missing font fails the
            // constructor and leaves no half-registered family behind.
            var regular = File.ReadAllBytes(Path.Combine(directory, "DejaVuSans.ttf"));
            var bold = File.ReadAllBytes(Path.Combine(directory, "DejaVuSans-Bold.ttf"));

            // PDFsharp caches typefaces by family and face name for the life of the process,
            // so every folder gets names of its own.
            var index = familiesByDirectory.Count + 1;
            var family = new RecapFontFamily(
                $"EspacePro Recap Sans {index}",
                $"espacepro-recap-{index}-regular",
                $"espacepro-recap-{index}-bold",
                FontCoverage.Intersect(regular, bold));
            faces[family.RegularFace] = regular;
            faces[family.BoldFace] = bold;
            familiesByName[family.Name] = family;
            familiesByDirectory[directory] = family;
            return family;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        // Italic is never used; PDFsharp would otherwise slant the upright face itself.
        return familiesByName.TryGetValue(familyName, out var family)
            ? new FontResolverInfo(bold ? family.BoldFace : family.RegularFace)
            : null;
    }

    public byte[]? GetFont(string faceName) => faces.GetValueOrDefault(faceName);
}

internal sealed record RecapFontFamily(string Name, string RegularFace, string BoldFace, FontCoverage Coverage);
