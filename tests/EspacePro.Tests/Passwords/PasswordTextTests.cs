using EspacePro.Web.Passwords;

namespace EspacePro.Tests.Passwords;

public sealed class PasswordTextTests
{
    [Fact]
    public void Full_width_letters_normalise_to_ascii()
    {
        Assert.Equal("Abc123", PasswordText.Normalize("Ａｂｃ１２３"));
    }

    [Fact]
    public void Ligatures_and_decomposed_accents_normalise()
    {
        Assert.Equal("fin", PasswordText.Normalize("\uFB01n"));
        Assert.Equal("é", PasswordText.Normalize("e\u0301"));
    }

    [Fact]
    public void Normalisation_does_not_trim_or_change_case()
    {
        Assert.Equal("  Mon Mot  ", PasswordText.Normalize("  Mon Mot  "));
    }

    [Fact]
    public void Lone_surrogates_do_not_throw()
    {
        Assert.Equal("a\uFFFDb", PasswordText.Normalize("a\uD800b"));
    }

    [Fact]
    public void An_emoji_counts_as_one_code_point()
    {
        Assert.Equal(2, "🔒".Length);
        Assert.Equal(1, PasswordText.CodePoints("🔒"));
        Assert.Equal(4, PasswordText.CodePoints("ab🔒é"));
    }
}
