using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Passwords;

namespace EspacePro.Tests.Passwords;

public sealed class PasswordDictionariesTests(ITestOutputHelper output)
{
    [Fact]
    public void The_npm_lists_are_loaded_whole()
    {
        // How fast they load is measured by the benchmark, not asserted here.
        var statistics = new PasswordDictionaries(RepoPaths.NodeModules).EnsureLoaded();
        output.WriteLine($"{statistics.CommonPasswords} common passwords, {statistics.Words} words, loaded in {statistics.LoadTime.TotalMilliseconds:F0} ms");
        Assert.True(statistics.CommonPasswords > 40_000);
        Assert.True(statistics.Words > 100_000);
        Assert.True(statistics.Keyboards >= 5); // azerty, qwerty, qwertz, dvorak, keypads
        Assert.Equal(28_095, statistics.ListSizes["language-fr/commonWords.json"]);
    }

    [Fact]
    public void Missing_lists_fail_with_a_clear_message()
    {
        var dictionaries = new PasswordDictionaries(Path.Combine(Path.GetTempPath(), "no-node-modules-" + Guid.NewGuid()));
        var error = Assert.Throws<InvalidOperationException>(() => dictionaries.EnsureLoaded());
        Assert.Contains("@zxcvbn-ts", error.Message, StringComparison.Ordinal);
        Assert.Contains("npm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_first_uses_load_once()
    {
        var dictionaries = new PasswordDictionaries(RepoPaths.NodeModules);
        var results = new PasswordDictionaryStatistics[8];
        Parallel.For(0, results.Length, i => results[i] = dictionaries.EnsureLoaded());
        Assert.All(results, r => Assert.Same(results[0], r));
    }
}
