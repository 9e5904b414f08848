using EspacePro.Web.Captcha;

namespace EspacePro.Tests.Captcha;

public sealed class CaptchaTextTests
{
    private static readonly string[] Samples = [.. Enumerable.Range(0, 2000).Select(_ => CaptchaText.Generate())];

    [Fact]
    public void Generated_text_has_six_characters_from_the_alphabet()
    {
        foreach (var text in Samples)
        {
            Assert.Equal(CaptchaText.Length, text.Length);
            Assert.All(text, c => Assert.Contains(char.ToUpperInvariant(c), CaptchaText.Alphabet));
        }
    }

    [Fact]
    public void Generated_texts_vary_and_use_the_whole_alphabet()
    {
        // 16^6 texts: 2000 draws almost never repeat, and 12,000 characters cover all 16.
        Assert.True(Samples.Distinct(StringComparer.Ordinal).Count() >= 1990);
        var seen = Samples.SelectMany(t => t).Select(char.ToUpperInvariant).ToHashSet();
        Assert.Equal(CaptchaText.Alphabet.ToHashSet(), seen);
    }

    [Fact]
    public void Generated_text_is_mixed_case_but_lower_case_only_where_unambiguous()
    {
        var lower = Samples.SelectMany(t => t).Where(char.IsLower).ToHashSet();
        Assert.NotEmpty(lower);
        Assert.Subset("acpruxy".ToHashSet(), lower);
        Assert.Contains(Samples.SelectMany(t => t), char.IsUpper);
    }

    [Fact]
    public void Alphabet_leaves_out_look_alikes()
    {
        foreach (var c in "0O1IL2Z5S8B9G")
        {
            Assert.DoesNotContain(c, CaptchaText.Alphabet);
        }
        Assert.Equal(CaptchaText.Alphabet.Length, CaptchaText.Alphabet.Distinct().Count());
    }

    [Theory]
    [InlineData("4Yc7A3")]
    [InlineData("4yC7a3")]
    [InlineData("4YC7A3")]
    [InlineData("  4Yc7A3 ")]
    [InlineData("4Y c7 A3")]
    [InlineData("4 Y c 7 A 3\t")]
    public void Answer_matches_whatever_its_case_and_spaces(string typed)
    {
        Assert.True(CaptchaText.Matches("4Yc7A3", typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("      ")]
    [InlineData("4Yc7A")]
    [InlineData("4Yc7A33")]
    [InlineData("4Yc7A4")]
    [InlineData("3Yc7A4")]
    [InlineData("4Yc-7A3")]
    public void Wrong_empty_or_wrong_length_answers_do_not_match(string? typed)
    {
        Assert.False(CaptchaText.Matches("4Yc7A3", typed));
    }

    [Fact]
    public void Nothing_matches_an_empty_expected_text()
    {
        Assert.False(CaptchaText.Matches("", ""));
        Assert.False(CaptchaText.Matches("", "4Yc7A3"));
    }

    [Fact]
    public void An_oversized_answer_is_refused()
    {
        Assert.False(CaptchaText.Matches("4Yc7A3", "4Yc7A3" + new string(' ', 10_000)));
    }
}
