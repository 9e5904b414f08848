using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Passwords;
using Microsoft.Extensions.Options;

namespace EspacePro.Tests.Passwords;

public sealed class PasswordRulesTests
{
    private static readonly PasswordDictionaries Dictionaries = new(RepoPaths.NodeModules);
    private static readonly PasswordStrengthEstimator Estimator = new(Dictionaries);
    private static readonly PasswordPolicy Policy = new(Options.Create(new PasswordOptions()), Dictionaries, Estimator);
    private static readonly PasswordContext Lila = new("lila.rosemonde@espacepro.test", "Lila", "Rosemonde", "20101670101919");

    [Fact]
    public void Lengths_are_counted_in_code_points_from_20_to_128()
    {
        Assert.Contains("Le mot de passe doit comporter au moins 20 caractères.", Policy.Validate("Hirondelle-Cactus-1", Lila));
        Assert.Empty(Policy.Validate("Hirondelle-Cactus-12", Lila));
        // 19 letters and an emoji: 20 code points but 21 UTF-16 units.
        Assert.Empty(Policy.Validate("Hirondelle-Cactus-9🦔", Lila));
        Assert.Contains("Le mot de passe doit comporter au moins 20 caractères.", Policy.Validate("Hirondelle-Cactus🦔", Lila));
        var words = "hirondelle cactus lanterne bleue volcan marmite ";
        var exactly128 = string.Concat(Enumerable.Repeat(words, 3))[..128];
        Assert.Equal(128, PasswordText.CodePoints(exactly128));
        Assert.DoesNotContain("Le mot de passe ne doit pas dépasser 128 caractères.", Policy.Validate(exactly128, Lila));
        Assert.Contains("Le mot de passe ne doit pas dépasser 128 caractères.", Policy.Validate(exactly128 + "x", Lila));
    }

    [Fact]
    public void Full_width_letters_are_normalised_before_counting()
    {
        Assert.Equal("Hirondelle", PasswordText.Normalize("Ｈｉｒｏｎｄｅｌｌｅ"));
        Assert.Equal(PasswordText.CodePoints("Hirondelle"), PasswordText.CodePoints(PasswordText.Normalize("Ｈｉｒｏｎｄｅｌｌｅ")));
    }

    [Theory]
    [InlineData("mon espace professionnel est davantage sécurisé")]
    [InlineData("mepedssjcumdppdpd20c!")]
    [InlineData("Hirondelle-Cactus-Lanterne-Bleue")]
    [InlineData("Cerisier-Violon-Nuage-2026")]
    [InlineData("La marmotte joue du piano sous l'orage")]
    [InlineData("correct horse battery staple 42")]
    public void Pass_phrases_and_random_strings_are_accepted(string password)
    {
        Assert.Empty(Policy.Validate(password, Lila));
    }

    [Theory]
    [InlineData("azertyuiop1234567890")]
    [InlineData("passwordpasswordpassword")]
    [InlineData("motdepassemotdepasse")]
    [InlineData("123456789012345678901")]
    [InlineData("!!!!qwertyuiop123456!!!!")]
    public void Common_passwords_padded_to_the_length_are_refused(string password)
    {
        Assert.NotEmpty(Policy.Validate(password, Lila));
    }

    [Fact]
    public void Each_rule_has_its_own_message()
    {
        Assert.Equal(["Le mot de passe ne doit pas être votre adresse électronique."],
            Policy.Validate("lila.rosemonde@espacepro.test", Lila));
        Assert.Contains("Ce mot de passe fait partie des mots de passe les plus répandus : choisissez-en un autre.",
            Policy.Validate("azertyuiop1234567890", Lila));
        Assert.Contains("Le mot de passe ne doit pas reposer sur des éléments de votre espace (nom, prénom, adresse électronique, numéro d'abonné) ni sur « impots », « dgfip » ou « gouv ».",
            Policy.Validate("LilaRosemonde-impots-dgfip", Lila));
        Assert.Contains("Le mot de passe ne doit pas contenir une longue suite du même caractère (par exemple « aaaaaa »).",
            Policy.Validate("Hirondelle-aaaaaaaa-Cactus", Lila));
        Assert.Contains("Le mot de passe ne doit pas contenir une longue suite logique (par exemple « 123456 », « abcdef » ou « azerty »).",
            Policy.Validate("Hirondelle-abcdefgh-Cactus", Lila));
        // With a shorter configured minimum, what passes every other rule can still be too guessable.
        var shortPolicy = new PasswordPolicy(Options.Create(new PasswordOptions { MinimumLength = 12 }), Dictionaries, Estimator);
        Assert.Equal(["Ce mot de passe est trop facile à deviner : allongez-le, par exemple avec une phrase de plusieurs mots peu courants."],
            shortPolicy.Validate("soleil2024soleil", Lila));
    }

    [Fact]
    public void Strength_orders_common_random_and_rare_phrases()
    {
        var common = Estimator.Estimate("azertyuiop1234567890", Lila);
        var random = Estimator.Estimate("k7Qp2xVm9Lw4Rt8Zs3Nb", Lila);
        var phrase = Estimator.Estimate("Hirondelle cactus lanterne volcan marmite", Lila);

        Assert.Equal(PasswordStrengthLevel.VeryWeak, common.Level);
        Assert.True(random.Log10Guesses > common.Log10Guesses + 10);
        Assert.True(phrase.Level >= PasswordStrengthLevel.Strong);
        Assert.Equal("Très faible", common.Label);
    }

    [Fact]
    public void The_users_own_words_weigh_nothing()
    {
        var own = Estimator.Estimate("rosemondelila20101670101919", Lila);
        var other = Estimator.Estimate("rosemondelila20101670101919", new PasswordContext("x@y.fr", "Paul", "Durand", "20190520000417"));

        Assert.True(own.Log10Guesses < other.Log10Guesses);
    }

    [Fact]
    public void The_dictionaries_come_from_the_npm_packages()
    {
        Assert.True(Dictionaries.CommonPasswords.Count > 10_000);
        Assert.Equal(1, Dictionaries.CommonPasswords["123456"]);
        Assert.True(Dictionaries.FrenchWords.ContainsKey("maison"));
        Assert.Equal(["123456", "123", "1234", "pass"], PasswordDictionaries.Decompress("A123456DD4Apass"));
    }

    [Theory]
    [InlineData("", "Saisissez la réponse à votre question de confiance.")]
    [InlineData("ab", "La réponse doit comporter au moins 3 caractères.")]
    [InlineData("aaa", "Cette réponse est trop simple à deviner : choisissez une réponse que vous seul connaissez.")]
    [InlineData("Non", "Cette réponse est trop simple à deviner : choisissez une réponse que vous seul connaissez.")]
    [InlineData("lila.rosemonde@espacepro.test", "La réponse ne doit pas être votre adresse électronique.")]
    [InlineData("Hirondelle-Cactus-Lanterne-Bleue", "La réponse ne doit pas être votre mot de passe.")]
    public void Trust_answers_are_refused_with_a_reason(string answer, string message)
    {
        Assert.Contains(message, TrustAnswerPolicy.Validate(answer, "lila.rosemonde@espacepro.test", "Hirondelle-Cactus-Lanterne-Bleue"));
    }

    [Fact]
    public void A_real_answer_is_accepted_and_101_characters_are_not()
    {
        Assert.Empty(TrustAnswerPolicy.Validate("Le Petit Prince", "x@y.fr", null));
        Assert.Contains("La réponse ne doit pas dépasser 100 caractères.", TrustAnswerPolicy.Validate(new string('é', 50) + new string('z', 51), null, null));
    }
}
