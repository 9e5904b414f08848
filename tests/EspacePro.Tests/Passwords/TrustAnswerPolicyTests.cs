using EspacePro.Web.Passwords;

namespace EspacePro.Tests.Passwords;

public sealed class TrustAnswerPolicyTests
{
    private const string Email = "lila.rosemonde11@orange.fr";
    private const string Password = "mon espace professionnel est davantage sécurisé";

    private static IReadOnlyList<string> Validate(string answer) => TrustAnswerPolicy.Validate(answer, Email, Password);

    [Theory]
    [InlineData("Blanquette de veau")]
    [InlineData("pâtes")]
    [InlineData("Couscous royal de ma grand-mère")]
    public void A_real_answer_is_accepted(string answer)
    {
        Assert.Empty(Validate(answer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_answer_is_refused(string answer)
    {
        Assert.Equal(["Saisissez la réponse à la question de confiance."], Validate(answer));
    }

    [Fact]
    public void An_answer_shorter_than_3_characters_is_refused()
    {
        Assert.Equal(["La réponse doit comporter au moins 3 caractères."], Validate("ri"));
    }

    [Fact]
    public void Three_characters_are_enough()
    {
        Assert.Empty(Validate("riz"));
    }

    [Fact]
    public void One_hundred_characters_are_accepted_and_101_refused()
    {
        var hundred = string.Concat(Enumerable.Repeat("Gratin ", 15))[..99] + "s";
        Assert.Equal(100, hundred.Length);
        Assert.Empty(Validate(hundred));
        Assert.Equal(["La réponse ne doit pas dépasser 100 caractères."], Validate(hundred + "s"));
    }

    [Fact]
    public void An_emoji_counts_as_one_character()
    {
        Assert.Equal([TrustAnswerPolicy.TooShort], Validate("🍕🍝"));
    }

    [Theory]
    [InlineData("aaa")]
    [InlineData("123")]
    [InlineData("xxx")]
    [InlineData("non")]
    [InlineData("NON")]
    [InlineData("test")]
    [InlineData("zzzzzz")]
    [InlineData("????")]
    [InlineData("abcd")]
    [InlineData("987")]
    [InlineData("Je ne sais pas")]
    public void A_trivial_answer_is_refused(string answer)
    {
        Assert.Contains("Cette réponse est trop facile à deviner\u00A0: choisissez une réponse que vous seul connaissez.", Validate(answer));
    }

    [Fact]
    public void The_email_is_refused_whatever_its_case()
    {
        Assert.Equal(["La réponse ne doit pas être identique à votre adresse électronique de connexion."], Validate("Lila.Rosemonde11@ORANGE.fr"));
    }

    [Fact]
    public void The_password_is_refused_whatever_its_case()
    {
        Assert.Equal(["La réponse ne doit pas être identique à votre mot de passe."], Validate("Mon Espace Professionnel est davantage sécurisé"));
    }

    [Fact]
    public void Missing_email_and_password_are_fine()
    {
        Assert.Empty(TrustAnswerPolicy.Validate("Blanquette de veau", null, null));
    }
}
