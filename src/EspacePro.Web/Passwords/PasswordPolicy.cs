using Microsoft.Extensions.Options;

namespace EspacePro.Web.Passwords;

/// <summary>
/// The password rules of SPEC §3 and SECURITY.md §4–5, each refusal with its own French reason.
/// No character-class rules: length and unpredictability are what count. The history rules
/// (current password, last five) need the hashes and are checked by the page.
/// </summary>
public sealed class PasswordPolicy(IOptions<PasswordOptions> options, PasswordDictionaries dictionaries, PasswordStrengthEstimator estimator)
{
    public const int LongestRun = 5;
    public const int LongestSequence = 6;

    public IReadOnlyList<string> Validate(string password, PasswordContext context)
    {
        var messages = new List<string>();
        var normalized = PasswordText.Normalize(password);
        var length = PasswordText.CodePoints(normalized);
        var min = options.Value.MinimumLength;
        if (length < min)
        {
            messages.Add($"Le mot de passe doit comporter au moins {min} caractères.");
        }
        if (length > options.Value.MaximumLength)
        {
            messages.Add($"Le mot de passe ne doit pas dépasser {options.Value.MaximumLength} caractères.");
            return messages;
        }
        var folded = PasswordStrengthEstimator.Fold(normalized);
        if (!string.IsNullOrEmpty(context.Email) && string.Equals(normalized.Trim(), context.Email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            messages.Add("Le mot de passe ne doit pas être votre adresse électronique.");
        }
        else if (IsCommon(folded))
        {
            messages.Add("Ce mot de passe fait partie des mots de passe les plus répandus : choisissez-en un autre.");
        }
        else if (IsMostlyContext(folded, context))
        {
            messages.Add("Le mot de passe ne doit pas reposer sur des éléments de votre espace (nom, prénom, adresse électronique, numéro d'abonné) ni sur « impots », « dgfip » ou « gouv ».");
        }
        if (HasLongRun(folded))
        {
            messages.Add("Le mot de passe ne doit pas contenir une longue suite du même caractère (par exemple « aaaaaa »).");
        }
        if (HasLongSequence(folded))
        {
            messages.Add("Le mot de passe ne doit pas contenir une longue suite logique (par exemple « 123456 », « abcdef » ou « azerty »).");
        }
        if (messages.Count == 0 && length >= min && estimator.Estimate(password, context).Level < PasswordStrengthLevel.Medium)
        {
            messages.Add("Ce mot de passe est trop facile à deviner : allongez-le, par exemple avec une phrase de plusieurs mots peu courants.");
        }
        return messages;
    }

    /// <summary>
    /// A common password, also when padded to the required length: repeated ("password" × 3),
    /// glued to another common one ("azertyuiop" + "1234567890"), or wrapped in digits and signs.
    /// </summary>
    private bool IsCommon(string folded)
    {
        var common = dictionaries.CommonPasswords;
        if (common.ContainsKey(folded))
        {
            return true;
        }
        var core = folded.Trim("0123456789!?.*-_ @#$%&+=".ToCharArray());
        if (core.Length > 0 && core.Length < folded.Length && common.ContainsKey(core))
        {
            return true;
        }
        if (IsRepetitionOfShortUnit(folded))
        {
            return true;
        }
        for (var split = 3; split <= folded.Length - 3; split++)
        {
            var left = folded[..split];
            var right = folded[split..];
            if (common.ContainsKey(left) && (common.ContainsKey(right) || IsRepetitionOfShortUnit(right) || right.All(char.IsAsciiDigit)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsRepetitionOfShortUnit(string text)
    {
        for (var unit = 1; unit <= Math.Min(12, text.Length / 2); unit++)
        {
            var head = text[..unit];
            var repeats = true;
            for (var i = unit; i < text.Length && repeats; i++)
            {
                repeats = text[i] == head[i % unit];
            }
            if (repeats)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Once the user's own words are taken out, fewer than 10 characters are left.</summary>
    private static bool IsMostlyContext(string folded, PasswordContext context)
    {
        var rest = folded;
        foreach (var word in PasswordStrengthEstimator.ContextWords(context).OrderByDescending(w => w.Length))
        {
            rest = rest.Replace(word, "", StringComparison.Ordinal);
        }
        var meaningful = rest.Count(char.IsLetterOrDigit);
        return meaningful < 10 && rest.Length < folded.Length;
    }

    private static bool HasLongRun(string text)
    {
        var run = 1;
        for (var i = 1; i < text.Length; i++)
        {
            run = text[i] == text[i - 1] ? run + 1 : 1;
            if (run > LongestRun)
            {
                return true;
            }
        }
        return false;
    }

    private static readonly string[] Rows = ["azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

    private static bool HasLongSequence(string text)
    {
        var up = 1;
        var down = 1;
        for (var i = 1; i < text.Length; i++)
        {
            var alnum = char.IsAsciiLetterOrDigit(text[i]) && char.IsAsciiLetterOrDigit(text[i - 1]);
            up = alnum && text[i] - text[i - 1] == 1 ? up + 1 : 1;
            down = alnum && text[i] - text[i - 1] == -1 ? down + 1 : 1;
            if (up >= LongestSequence || down >= LongestSequence)
            {
                return true;
            }
        }
        for (var i = 0; i + LongestSequence <= text.Length; i++)
        {
            var piece = text.Substring(i, LongestSequence);
            if (Rows.Any(row => row.Contains(piece, StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Rules for the trust answer (SECURITY.md §12); the answer is then compared exactly.</summary>
public static class TrustAnswerPolicy
{
    public const int MinimumLength = 3;
    public const int MaximumLength = 100;

    private static readonly HashSet<string> Trivial = new(StringComparer.Ordinal)
    {
        "non", "oui", "test", "tests", "abc", "azerty", "qwerty", "rien", "aucun", "aucune", "inconnu", "inconnue",
        "je ne sais pas", "jsp", "nsp", "ras", "xxx", "toto", "tata", "titi", "123", "1234", "12345", "000", "reponse", "secret",
    };

    public static IReadOnlyList<string> Validate(string answer, string? email, string? password)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return ["Saisissez la réponse à votre question de confiance."];
        }
        var messages = new List<string>();
        var length = PasswordText.CodePoints(answer);
        if (length < MinimumLength)
        {
            messages.Add($"La réponse doit comporter au moins {MinimumLength} caractères.");
        }
        if (length > MaximumLength)
        {
            messages.Add($"La réponse ne doit pas dépasser {MaximumLength} caractères.");
        }
        var folded = PasswordStrengthEstimator.Fold(answer.Trim());
        var letters = folded.Where(char.IsLetterOrDigit).ToArray();
        if (Trivial.Contains(folded) || letters.Length == 0 || letters.Distinct().Count() == 1)
        {
            messages.Add("Cette réponse est trop simple à deviner : choisissez une réponse que vous seul connaissez.");
        }
        if (!string.IsNullOrEmpty(email) && string.Equals(answer.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            messages.Add("La réponse ne doit pas être votre adresse électronique.");
        }
        if (!string.IsNullOrEmpty(password) && PasswordText.Normalize(answer) == PasswordText.Normalize(password))
        {
            messages.Add("La réponse ne doit pas être votre mot de passe.");
        }
        return messages;
    }
}
