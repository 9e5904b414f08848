namespace EspacePro.Tests.Infrastructure;

/// <summary>Locates the repository from the test binaries (bin/Debug/net10.0 under tests/).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();
    public static string WebProject => Path.Combine(Root, "src", "EspacePro.Web");
    public static string NodeModules => Path.Combine(WebProject, "node_modules");
    public static string FontDirectory => Path.Combine(NodeModules, "dejavu-fonts-ttf", "ttf");

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
