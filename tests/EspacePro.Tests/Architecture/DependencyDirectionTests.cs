using System.Text.RegularExpressions;
using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Architecture;

/// <summary>
/// Dependencies point one way: pages use modules, modules use Common and Data, never the
/// reverse. Read from the sources, so that a registration such as AddSingleton&lt;Pages.X&gt;()
/// inside a method body is caught too.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    private static readonly string[] Modules = ["Accounts", "Captcha", "Common", "Database", "Demo", "Mail", "Observability", "Passwords", "Recap", "Security"];
    private static readonly string[] Features = ["Accounts", "Captcha", "Demo", "Mail", "Passwords", "Recap", "Security"];

    public static TheoryData<string> ModuleFolders => new(Modules);

    [Theory]
    [MemberData(nameof(ModuleFolders))]
    public void A_module_uses_no_page(string module) =>
        Assert.Empty(References(module, "Pages"));

    [Fact]
    public void Database_does_not_use_Accounts() =>
        Assert.Empty(References("Database", "Accounts"));

    [Fact]
    public void Common_uses_no_feature() =>
        Assert.Empty(Features.SelectMany(feature => References("Common", feature)));

    [Fact]
    public void The_check_finds_a_reference_written_either_way()
    {
        Assert.Matches(Reference("Pages"), "using EspacePro.Web.Pages.Activation;");
        Assert.Matches(Reference("Pages"), "services.AddSingleton<Pages.Activation.ActivationWizard>();");
        Assert.DoesNotMatch(Reference("Pages"), "// the Razor Pages of the site");
    }

    /// <summary>The lines of the folder's C# files that name <paramref name="target"/>'s namespace, outside comments.</summary>
    private static List<string> References(string folder, string target)
    {
        var pattern = Reference(target);
        return Directory.EnumerateFiles(Path.Combine(RepoPaths.WebProject, folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && pattern.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(RepoPaths.WebProject, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();
    }

    private static Regex Reference(string target) =>
        new($@"(EspacePro\.Web\.{target}\b|(?<![\w.""]){target}\.[A-Z])");
}
