namespace EspacePro.Web.Passwords;

/// <summary>
/// The French messages of the password rules, one per rule, so that pages and tests refer to
/// the same text. French typography: a non-breaking space before « : » and inside « ».
/// </summary>
public static class PasswordMessages
{
    public static string TooShort(int minimumLength) => $"Le mot de passe doit comporter au moins {minimumLength} caractères.";

    public static string TooLong(int maximumLength) => $"Le mot de passe ne doit pas dépasser {maximumLength} caractères.";

    public const string SameAsEmail = "Le mot de passe ne doit pas être identique à votre adresse électronique de connexion.";

    public const string Common =
        "Ce mot de passe est trop courant ou trop facile à deviner, même répété ou complété par des chiffres\u00A0: choisissez-en un autre.";

    public const string PersonalInformation =
        "Le mot de passe ne doit pas reposer sur vos informations personnelles (nom, prénom, adresse électronique, numéro d'abonné) ni sur des mots comme «\u00A0impots\u00A0», «\u00A0dgfip\u00A0» ou «\u00A0gouv\u00A0».";

    public const string RunOrSequence =
        "Le mot de passe ne doit pas contenir de longues répétitions ou suites de caractères (par exemple «\u00A0aaaaaa\u00A0», «\u00A0abcdefgh\u00A0», «\u00A0123456789\u00A0» ou «\u00A0azertyuiop\u00A0»).";
}
