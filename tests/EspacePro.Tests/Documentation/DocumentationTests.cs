using System.Text.RegularExpressions;
using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Documentation;

/// <summary>
/// A maintainer holds the repository and nothing else: every link in its documentation leads to
/// one of its files, and no file sends the reader to a document or a ticket it does not hold.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git", "TestResults", "App_Data", "out"];

    [Fact]
    public void Every_relative_link_in_the_documentation_leads_to_a_file_of_the_repository()
    {
        var broken = new List<string>();
        foreach (var file in RepositoryFiles(".md"))
        {
            var text = CodeBlock().Replace(File.ReadAllText(file), "");
            foreach (Match link in MarkdownLink().Matches(text))
            {
                var target = link.Groups[1].Value;
                if (Scheme().IsMatch(target))
                {
                    continue;
                }
                var hash = target.IndexOf('#');
                var path = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Relative(file)}: {target} (no such file)");
                }
                else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(anchor))
                {
                    broken.Add($"{Relative(file)}: {target} (no such heading)");
                }
            }
        }
        Assert.Empty(broken);
    }

    [Fact]
    public void No_file_cites_a_document_outside_the_repository_or_an_issue_number()
    {
        // Built from parts, so that this file does not cite them itself.
        string[] outside = ["SECURITY" + ".md", "SPEC" + ".md", "../" + "shared", "/work/" + "shared"];
        var citations = new List<string>();
        foreach (var file in RepositoryFiles(".cs", ".cshtml", ".js", ".css", ".md", ".sh", ".py", ".lua", ".sql", ".csproj", ".props", ".json", ".conf", ""))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (outside.Any(o => lines[i].Contains(o, StringComparison.Ordinal)) || IssueNumber().IsMatch(lines[i]))
                {
                    citations.Add($"{Relative(file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        Assert.Empty(citations);
    }

    [Fact]
    public void Every_test_the_security_rules_cite_exists()
    {
        var tests = RepositoryFiles(".cs")
            .Where(f => Relative(f).StartsWith("tests/", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var rules = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "security.md"));
        var missing = new List<string>();
        foreach (Match cited in CitedTest().Matches(rules))
        {
            var (type, method) = (cited.Groups[1].Value, cited.Groups[2].Value);
            var declaring = tests.Where(t => Regex.IsMatch(t, $@"\bclass {type}\b")).ToList();
            if (declaring.Count == 0 || (method.Length > 0 && !declaring.Any(t => Regex.IsMatch(t, $@"\b{method}\("))))
            {
                missing.Add(cited.Value);
            }
        }
        Assert.NotEmpty(CitedTest().Matches(rules));
        Assert.Empty(missing);
    }

    /// <summary>The repository's own files with these extensions, generated migrations and build output left out.</summary>
    private static IEnumerable<string> RepositoryFiles(params string[] extensions) =>
        Directory.EnumerateFiles(RepoPaths.Root, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.Ordinal))
            .Where(f => !Relative(f).Split('/').Any(SkippedFolders.Contains))
            .Where(f => !IsGeneratedMigration(Relative(f)))
            .Where(f => new FileInfo(f).Length < 1_000_000);

    private static bool IsGeneratedMigration(string relative) =>
        relative.StartsWith("src/EspacePro.Migrations.", StringComparison.Ordinal) && relative.Contains("/Migrations/", StringComparison.Ordinal);

    private static string Relative(string file) => Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/');

    /// <summary>The anchors a Markdown renderer gives the file's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string file) =>
        File.ReadLines(file)
            .Select(line => Heading().Match(line))
            .Where(m => m.Success)
            .Select(m => NotInAnchor().Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^#+\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex NotInAnchor();

    /// <summary>`SomeTests` or `SomeTests.Some_method`, as docs/security.md names the tests that prove a rule.</summary>
    [GeneratedRegex(@"`(\w+Tests)(?:\.(\w+))?`")]
    private static partial Regex CitedTest();

    [GeneratedRegex(@"\b[Ii]ssue #?[0-9]")]
    private static partial Regex IssueNumber();
}
