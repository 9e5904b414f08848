namespace EspacePro.Web.Passwords;

/// <summary>
/// A zxcvbn estimate of how many guesses an attacker needs, with French and English words,
/// names, common passwords, the person's and the service's words, keyboard walks, repeats,
/// sequences and dates; the rest is brute force at 10 guesses a character. Words count as
/// words, not as letters, so a pass-phrase of common words is judged by how common its words
/// are, and one of rare words scores high.
/// </summary>
public sealed class PasswordStrengthEstimator(PasswordDictionaries dictionaries, PasswordPolicy policy)
{
    // Guesses (log10) from which each level starts. The hash is Argon2id, so even an offline
    // attacker makes thousands, not billions, of guesses a second on one machine: 10^14 takes
    // years of a large cluster, 10^18 is out of reach.
    private const double WeakFrom = 6;      // beyond an online attack throttled per account
    private const double MediumFrom = 10;
    private const double StrongFrom = 14;
    private const double VeryStrongFrom = 18;

    public PasswordStrength Estimate(string password, PasswordContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var level = LevelFor(EstimateGuessesLog10(password, context));
        // The meter never praises what the form will refuse.
        if (level > PasswordStrengthLevel.Weak && policy.Validate(password ?? string.Empty, context).Count > 0)
        {
            level = PasswordStrengthLevel.Weak;
        }
        return PasswordStrength.For(level);
    }

    /// <summary>log10 of the estimated guesses; only the first <see cref="PasswordOptions.MaximumLength"/> code points are examined.</summary>
    public double EstimateGuessesLog10(string password, PasswordContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var normalized = PasswordText.TruncateCodePoints(PasswordText.Normalize(password ?? string.Empty), policy.MaximumLength);
        var analysis = GuessAnalyzer.Analyze(normalized, new GuessDictionaries(
            dictionaries.Words, MatchSources.Word, dictionaries.Keyboards, PasswordContextWords.For(context)));
        return analysis.Log10Guesses;
    }

    internal static PasswordStrengthLevel LevelFor(double guessesLog10) => guessesLog10 switch
    {
        < WeakFrom => PasswordStrengthLevel.VeryWeak,
        < MediumFrom => PasswordStrengthLevel.Weak,
        < StrongFrom => PasswordStrengthLevel.Medium,
        < VeryStrongFrom => PasswordStrengthLevel.Strong,
        _ => PasswordStrengthLevel.VeryStrong,
    };
}
