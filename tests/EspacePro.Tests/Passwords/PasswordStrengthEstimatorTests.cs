using EspacePro.Web.Passwords;
using static EspacePro.Tests.Passwords.PasswordServices;

namespace EspacePro.Tests.Passwords;

public sealed class PasswordStrengthEstimatorTests
{
    private static double Guesses(string password, PasswordContext? context = null) =>
        Estimator.EstimateGuessesLog10(password, context ?? PasswordContext.Empty);

    private static PasswordStrength Estimate(string password, PasswordContext? context = null) =>
        Estimator.Estimate(password, context ?? PasswordContext.Empty);

    [Theory]
    [InlineData(PasswordStrengthLevel.VeryWeak, "Très faible")]
    [InlineData(PasswordStrengthLevel.Weak, "Faible")]
    [InlineData(PasswordStrengthLevel.Medium, "Moyen")]
    [InlineData(PasswordStrengthLevel.Strong, "Fort")]
    [InlineData(PasswordStrengthLevel.VeryStrong, "Très fort")]
    public void Each_level_has_its_french_label(PasswordStrengthLevel level, string label)
    {
        Assert.Equal(new PasswordStrength(level, label), PasswordStrength.For(level));
    }

    [Fact]
    public void Common_password_ranks_below_random_string_below_pass_phrase_of_rare_words()
    {
        var common = Guesses("motdepasse");
        var random = Guesses(Random20);
        var phrase = Guesses("Ornithorynque marmonne sous la véranda fleurie");
        Assert.True(common < random, $"{common} < {random}");
        Assert.True(random < phrase, $"{random} < {phrase}");
    }

    [Fact]
    public void Common_words_are_cheaper_than_rare_words_of_the_same_length()
    {
        Assert.True(Guesses("le petit chat de la maison") < Guesses("ce furtif gecko du marais x"));
    }

    [Fact]
    public void Padding_a_common_password_adds_little()
    {
        Assert.True(Guesses("passwordpasswordpassword") < Guesses("password") + 2);
    }

    [Fact]
    public void Accents_capitals_and_l33t_do_not_hide_a_word()
    {
        Assert.True(Guesses("Sécurité") < 5);
        Assert.True(Guesses("s3cur1t3") < 6);
        Assert.True(Guesses("ETINCELLE") < Guesses("xqwbzvkrt"));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("123456")]
    [InlineData("azerty")]
    [InlineData("passwordpasswordpassword")]
    public void A_common_password_is_very_weak(string password)
    {
        Assert.Equal(PasswordStrengthLevel.VeryWeak, Estimate(password).Level);
    }

    [Fact]
    public void A_random_string_of_20_characters_is_very_strong()
    {
        Assert.Equal(new PasswordStrength(PasswordStrengthLevel.VeryStrong, "Très fort"), Estimate(Random20));
    }

    [Theory]
    [InlineData("Ornithorynque marmonne sous la véranda fleurie")]
    [InlineData("mepedssjcumdppdpd20c!")]
    [InlineData("Le chat de ma voisine mange des croquettes")]
    public void A_good_pass_phrase_is_very_strong(string password)
    {
        Assert.Equal(PasswordStrengthLevel.VeryStrong, Estimate(password).Level);
    }

    [Fact]
    public void A_phrase_of_a_few_common_words_is_not_very_strong()
    {
        Assert.InRange(Estimate("chocolat bonjour soleil").Level, PasswordStrengthLevel.Weak, PasswordStrengthLevel.Medium);
    }

    [Theory]
    [InlineData("Ma suite préférée est abcdefgh et voilà")] // many guesses, but a sequence
    [InlineData("xQ7#kP2!vZ9@mR4$wT8")] // random, but 19 characters
    [InlineData("lila.rosemonde11@orange.fr")]
    [InlineData("Tr0ub4dor&3Tr0ub4dor&3")]
    public void A_password_the_policy_refuses_is_never_strong(string password)
    {
        Assert.NotEmpty(Policy.Validate(password, Lila));
        Assert.True(Estimate(password, Lila).Level <= PasswordStrengthLevel.Weak);
    }

    [Fact]
    public void Context_words_lower_the_estimate()
    {
        const string password = "Rosemonde aime la montagne";
        Assert.True(Guesses(password, Lila) < Guesses(password));
    }

    [Fact]
    public void An_oversized_input_is_judged_quickly_and_never_strong()
    {
        var huge = RandomString(20_000);
        var started = DateTime.UtcNow;
        var strength = Estimate(huge);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
        Assert.Equal(PasswordStrengthLevel.Weak, strength.Level);
    }

    [Fact]
    public void An_empty_password_is_very_weak()
    {
        Assert.Equal(PasswordStrengthLevel.VeryWeak, Estimate("").Level);
    }

    [Fact]
    public void The_estimator_is_safe_to_share_between_threads()
    {
        var passwords = new[] { Random20, "motdepasse", "Le chat de ma voisine mange des croquettes", "azertyuiop1234567890" };
        var expected = passwords.Select(p => Estimate(p)).ToArray();
        Parallel.For(0, 200, i => Assert.Equal(expected[i % 4], Estimate(passwords[i % 4])));
    }
}
