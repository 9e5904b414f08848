namespace EspacePro.Web.Passwords;

/// <summary>
/// The rules for the answer to the trust question (docs/security.md R19). The answer is a second
/// secret after the mailbox proof, so it must not be guessable from the form or a default
/// answer; it is stored hashed and compared exactly elsewhere.
/// </summary>
public static class TrustAnswerPolicy
{
    public const int MinimumLength = 3;
    public const int MaximumLength = 100;

    public const string Empty = "Saisissez la réponse à la question de confiance.";
    public static readonly string TooShort = $"La réponse doit comporter au moins {MinimumLength} caractères.";
    public static readonly string TooLong = $"La réponse ne doit pas dépasser {MaximumLength} caractères.";
    public const string Trivial = "Cette réponse est trop facile à deviner\u00A0: choisissez une réponse que vous seul connaissez.";
    public const string SameAsEmail = "La réponse ne doit pas être identique à votre adresse électronique de connexion.";
    public const string SameAsPassword = "La réponse ne doit pas être identique à votre mot de passe.";

    // Answers that say nothing or that anyone tries first, compared folded and without spaces.
    private static readonly HashSet<string> TrivialAnswers = new(StringComparer.Ordinal)
    {
        "non", "oui", "test", "tests", "azerty", "qwerty", "abc", "abcd", "xyz", "rien", "aucun", "aucune",
        "personne", "jenesaispas", "nsp", "jsp", "inconnu", "inconnue", "none", "null", "nul", "nulle",
        "na", "neant", "sansobjet", "idem", "reponse", "mareponse", "question", "secret", "motdepasse",
        "password", "toto", "titi", "tata", "truc", "machin", "bidule", "blabla", "ras", "yes", "no",
    };

    /// <summary>French messages, one per broken rule; empty when the answer is acceptable.</summary>
    public static IReadOnlyList<string> Validate(string answer, string? email, string? password)
    {
        var errors = new List<string>();
        var trimmed = (answer ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            errors.Add(Empty);
            return errors;
        }
        var length = PasswordText.CodePoints(trimmed);
        if (length < MinimumLength)
        {
            errors.Add(TooShort);
        }
        if (length > MaximumLength)
        {
            errors.Add(TooLong);
            return errors;
        }
        if (IsTrivial(trimmed))
        {
            errors.Add(Trivial);
        }
        if (!string.IsNullOrWhiteSpace(email) && SameText(trimmed, email.Trim()))
        {
            errors.Add(SameAsEmail);
        }
        if (!string.IsNullOrEmpty(password) && SameText(trimmed, password))
        {
            errors.Add(SameAsPassword);
        }
        return errors;
    }

    private static bool SameText(string a, string b) =>
        string.Equals(PasswordText.Normalize(a), PasswordText.Normalize(b), StringComparison.OrdinalIgnoreCase);

    private static bool IsTrivial(string answer)
    {
        var compact = new string(PasswordText.Fold(PasswordText.Normalize(answer)).Where(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c)).ToArray());
        if (compact.Length == 0)
        {
            return true; // only punctuation: "???", "..."
        }
        if (TrivialAnswers.Contains(compact) || compact.Distinct().Count() == 1)
        {
            return true; // "aaa", "xxx", "000"
        }
        // "123", "abcd", "987": a straight run of digits or letters.
        if (compact.Length >= 3 && (compact.All(char.IsAsciiDigit) || compact.All(char.IsAsciiLetterLower)))
        {
            var delta = compact[1] - compact[0];
            if (Math.Abs(delta) == 1 && Enumerable.Range(1, compact.Length - 1).All(i => compact[i] - compact[i - 1] == delta))
            {
                return true;
            }
        }
        return false;
    }
}
