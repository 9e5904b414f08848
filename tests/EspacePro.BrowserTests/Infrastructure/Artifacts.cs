using System.Text;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// Where the suite leaves what a person looks at after a run: the HTML of every page visited
/// (checked by vnu at the end), the screens, the downloads, the app logs and, for a failing
/// test only, its Playwright trace and a screenshot. Under the test output unless
/// <c>ESPACEPRO_BROWSER_ARTIFACTS</c> names another folder.
/// </summary>
public static class Artifacts
{
    public static string Root { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("ESPACEPRO_BROWSER_ARTIFACTS")
        ?? Path.Combine(AppContext.BaseDirectory, "TestResults", "browser"));

    public static string Html => Path.Combine(Root, "html");
    public static string Screens => Path.Combine(Root, "screens");
    public static string Downloads => Path.Combine(Root, "downloads");
    public static string AppLogs => Path.Combine(Root, "apps");
    public static string Failures => Path.Combine(Root, "failures");

    /// <summary>Databases, mail folders and the certificate of this run; deleted at its end.</summary>
    public static string TempRoot { get; } = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), $"espacepro-browser-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40])).FullName;

    /// <summary>Empties the folders of a previous run, so that vnu checks this run's pages only.</summary>
    public static void Reset()
    {
        foreach (var folder in new[] { Html, Screens, Downloads, AppLogs, Failures })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            Directory.CreateDirectory(folder);
        }
    }

    public static void DeleteTemp()
    {
        try
        {
            Directory.Delete(TempRoot, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing its SQLite file; the OS cleans /tmp.
        }
    }

    /// <summary>A file name made of the test's name: letters, digits and dashes only.</summary>
    public static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark
                     && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var result = slug.ToString().Trim('-');
        return result.Length > 120 ? result[..120] : result;
    }
}

/// <summary>Locates the repository from the test binaries (bin/Debug/net10.0 under tests/).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();
    public static string WebProject => Path.Combine(Root, "src", "EspacePro.Web");
    public static string TestProject => Path.Combine(Root, "tests", "EspacePro.BrowserTests");
    public static string VnuJar => Path.Combine(TestProject, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
    public static string DocsScreens => Path.Combine(Root, "docs", "screens");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EspacePro.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("EspacePro.slnx not found above the test binaries.");
    }
}
