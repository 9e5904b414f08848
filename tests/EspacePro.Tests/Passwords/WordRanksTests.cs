using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Passwords;

namespace EspacePro.Tests.Passwords;

public sealed class WordRanksTests
{
    [Fact]
    public void Finds_every_added_word_by_a_span_with_its_best_rank()
    {
        var builder = new WordRanks.Builder();
        builder.Add("soleil", 12);
        builder.Add("marmotte", 40);
        builder.Add("soleil", 3);   // a better rank wins
        builder.Add("marmotte", 90); // a worse one does not
        var words = builder.Build();

        Assert.Equal(2, words.Count);
        Assert.Equal(8, words.MaximumLength);
        Assert.True(words.TryGetValue("soleil", out var rank));
        Assert.Equal(3, rank);
        Assert.True(words.TryGetValue("xxmarmottexx".AsSpan(2, 8), out rank));
        Assert.Equal(40, rank);
        Assert.True(words.ContainsKey("soleil"));
    }

    [Fact]
    public void Misses_words_it_does_not_hold_prefixes_and_longer_spans()
    {
        var builder = new WordRanks.Builder();
        builder.Add("soleil", 1);
        var words = builder.Build();

        Assert.False(words.TryGetValue("sol", out var rank));
        Assert.Equal(0, rank);
        Assert.False(words.ContainsKey("soleils"));
        Assert.False(words.ContainsKey("Soleil")); // ordinal: callers fold first
        Assert.False(words.ContainsKey(""));
        var none = new WordRanks.Builder().Build();
        Assert.False(none.ContainsKey("soleil"));
        Assert.Equal(0, none.Count);
    }

    [Fact]
    public void Holds_many_words_past_its_first_capacity()
    {
        var builder = new WordRanks.Builder();
        for (var i = 0; i < 50_000; i++)
        {
            builder.Add($"mot{i}", i + 1);
        }
        var words = builder.Build();

        Assert.Equal(50_000, words.Count);
        for (var i = 0; i < 50_000; i++)
        {
            Assert.True(words.TryGetValue($"mot{i}", out var rank));
            Assert.Equal(i + 1, rank);
        }
        Assert.False(words.ContainsKey("mot50000"));
        // The table is built over the builder's arrays: the builder is done.
        Assert.Throws<ObjectDisposedException>(() => builder.Add("mot", 1));
    }

    [Fact]
    public void The_npm_lists_rank_common_words_and_passwords()
    {
        var dictionaries = new PasswordDictionaries(RepoPaths.NodeModules);

        // A common password's rank is its position in the list (1 = most common).
        var list = System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllText(
            Path.Combine(RepoPaths.NodeModules, "@zxcvbn-ts", "language-common", "src", "passwords.json")))!;
        Assert.True(dictionaries.CommonPasswords.TryGetValue("azerty", out var azerty));
        Assert.Equal(Array.IndexOf(list, "azerty") + 1, azerty);
        Assert.True(dictionaries.Words.ContainsKey("soleil"));
        Assert.True(dictionaries.Words.ContainsKey("ete")); // "été", folded
        Assert.False(dictionaries.Words.ContainsKey("xqzvwkjh"));
    }
}
