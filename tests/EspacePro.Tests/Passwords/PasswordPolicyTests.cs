using EspacePro.Web.Passwords;
using static EspacePro.Tests.Passwords.PasswordServices;

namespace EspacePro.Tests.Passwords;

public sealed class PasswordPolicyTests
{
    private static IReadOnlyList<string> Validate(string password, PasswordContext? context = null) =>
        Policy.Validate(password, context ?? PasswordContext.Empty);

    // ---- Length, in code points after NFKC ----

    [Fact]
    public void A_random_password_of_20_characters_is_accepted()
    {
        Assert.Empty(Validate(Random20));
    }

    [Fact]
    public void Nineteen_characters_are_refused_with_the_minimum_length_message()
    {
        var errors = Validate(Random20[..19]);
        Assert.Equal(["Le mot de passe doit comporter au moins 20 caractères."], errors);
    }

    [Fact]
    public void The_minimum_length_comes_from_the_options()
    {
        var policy = CreatePolicy(new PasswordOptions { MinimumLength = 24 });
        Assert.Equal([PasswordMessages.TooShort(24)], policy.Validate(Random20, PasswordContext.Empty));
    }

    [Fact]
    public void One_hundred_and_twenty_eight_characters_are_accepted()
    {
        Assert.Empty(Validate(RandomString(128)));
    }

    [Fact]
    public void One_hundred_and_twenty_nine_characters_are_refused_with_the_maximum_length_message()
    {
        Assert.Equal(["Le mot de passe ne doit pas dépasser 128 caractères."], Validate(RandomString(129)));
    }

    [Fact]
    public void An_emoji_counts_as_one_character_at_the_minimum()
    {
        var twenty = Random20[..19] + "🔒"; // 21 UTF-16 units, 20 code points
        var nineteen = Random20[..18] + "🔒"; // 20 UTF-16 units, 19 code points
        Assert.Equal(20, nineteen.Length);
        Assert.Empty(Validate(twenty));
        Assert.Equal([PasswordMessages.TooShort(20)], Validate(nineteen));
    }

    [Fact]
    public void An_emoji_counts_as_one_character_at_the_maximum()
    {
        Assert.Empty(Validate(RandomString(127) + "🔒"));
        Assert.Equal([PasswordMessages.TooLong(128)], Validate(RandomString(128) + "🔒"));
    }

    [Fact]
    public void Full_width_characters_are_measured_after_normalisation()
    {
        var fullWidth = string.Concat(Random20.Select(c => (char)(c + 0xFEE0)));
        Assert.Equal(Random20, PasswordText.Normalize(fullWidth));
        Assert.Empty(Validate(fullWidth));
    }

    [Fact]
    public void A_ligature_counts_as_the_letters_it_stands_for()
    {
        // 19 code points as typed, 20 once "ﬁ" becomes "fi".
        var password = Random20[..18] + "\uFB01";
        Assert.Equal(19, PasswordText.CodePoints(password));
        Assert.Empty(Validate(password));
    }

    [Fact]
    public void An_empty_password_gets_only_the_length_message()
    {
        Assert.Equal([PasswordMessages.TooShort(20)], Validate(""));
    }

    // ---- Login e-mail ----

    [Fact]
    public void The_login_email_is_refused_whatever_its_case()
    {
        var errors = Validate("LILA.Rosemonde11@Orange.FR", Lila);
        Assert.Contains("Le mot de passe ne doit pas être identique à votre adresse électronique de connexion.", errors);
    }

    // ---- Common passwords, also padded to 20 characters ----

    [Fact]
    public void A_short_common_password_gets_the_length_and_the_common_messages_in_that_order()
    {
        Assert.Equal([PasswordMessages.TooShort(20), PasswordMessages.Common], Validate("P@ssw0rd"));
    }

    [Theory]
    [InlineData("passwordpasswordpassword")]
    [InlineData("password password password")]
    [InlineData("azertyuiop1234567890")]
    [InlineData("Azertyuiop1234567890!")]
    [InlineData("motdepasse2024motdepasse")]
    [InlineData("Bonjour2024Bonjour!!")]
    [InlineData("P@ssw0rdP@ssw0rd2024!!")]
    [InlineData("jetaimejetaimejetaime")]
    [InlineData("Password123!Password123!")]
    [InlineData("Motdepasse123456789!")]
    [InlineData("soleil chocolat 2024!")]
    public void A_common_password_padded_to_the_length_is_refused(string password)
    {
        Assert.Contains(PasswordMessages.Common, Validate(password));
    }

    [Fact]
    public void The_common_message_is_in_french()
    {
        Assert.StartsWith("Ce mot de passe est trop courant", PasswordMessages.Common, StringComparison.Ordinal);
    }

    // ---- Pass-phrases that merely contain common words ----

    [Theory]
    [InlineData("mepedssjcumdppdpd20c!")]
    [InlineData("mon espace professionnel est davantage sécurisé")]
    [InlineData("mon espace professionnel est davantage sécurisé si je choisis un mot de passe personnalisé de plus de 20 caractères !")]
    [InlineData("Le chat de ma voisine mange des croquettes")]
    [InlineData("J'aime les vacances à la montagne en hiver")]
    [InlineData("correct horse battery staple")]
    [InlineData("chocolat bonjour soleil")]
    [InlineData("Ornithorynque marmonne sous la véranda fleurie")]
    public void A_pass_phrase_is_accepted(string password)
    {
        Assert.Empty(Validate(password, Lila));
    }

    [Fact]
    public void A_pass_phrase_with_the_first_name_in_it_is_accepted()
    {
        Assert.Empty(Validate("Lila adore les randonnées en haute montagne", Lila));
    }

    // ---- Context words ----

    [Theory]
    [InlineData("RosemondeLila1985Rosemonde")]
    [InlineData("Lila ROSEMONDE Lila 2026 !")]
    [InlineData("LilaRosemonde11-orange!")]
    [InlineData("20101670101919 Lila Lila")]
    [InlineData("R0semonde-L1la-R0semonde")]
    public void A_password_made_of_the_holders_names_email_or_number_is_refused(string password)
    {
        Assert.Contains(PasswordMessages.PersonalInformation, Validate(password, Lila));
    }

    [Theory]
    [InlineData("impots.gouv.fr-dgfip-2026!")]
    [InlineData("ImpotsGouvDgfipFinances")]
    [InlineData("finances.gouv.fr/impots")]
    public void A_password_made_of_the_services_names_is_refused(string password)
    {
        Assert.Contains(PasswordMessages.PersonalInformation, Validate(password));
    }

    [Fact]
    public void The_same_password_is_fine_for_someone_else()
    {
        Assert.Contains(PasswordMessages.PersonalInformation, Validate("RosemondeXq7Lila-Rosemonde", Lila));
        Assert.DoesNotContain(PasswordMessages.PersonalInformation, Validate("RosemondeXq7Lila-Rosemonde"));
    }

    // ---- Runs, sequences, keyboard rows, repetitions ----

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("Le chat dort aaaaaa sur le canapé")]
    [InlineData("Ma suite préférée est abcdefgh et voilà")]
    [InlineData("Mon code secret 123456789 pour le site")]
    [InlineData("Mon code secret 987654321 pour le site")]
    [InlineData("Le clavier azertyuiop est bien français")]
    [InlineData("Le clavier QWERTYUIOP est bien anglais")]
    [InlineData("Tr0ub4dor&3Tr0ub4dor&3")]
    [InlineData("xq7Kz!xq7Kz!xq7Kz!xq7Kz!")]
    public void A_long_run_sequence_keyboard_row_or_repetition_is_refused(string password)
    {
        Assert.Contains(PasswordMessages.RunOrSequence, Validate(password));
    }

    [Fact]
    public void Messages_come_in_a_stable_order()
    {
        var errors = Validate("lila.rosemonde11@orange.fr", Lila);
        Assert.Equal([PasswordMessages.SameAsEmail, PasswordMessages.PersonalInformation], errors);
        Assert.Equal(errors, Validate("lila.rosemonde11@orange.fr", Lila));
    }

    [Fact]
    public void A_context_without_any_field_is_fine()
    {
        Assert.Empty(Validate(Random20, new PasswordContext(null, "", "  ", null)));
    }
}
