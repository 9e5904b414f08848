using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EspacePro.Web.Accounts;

/// <summary>
/// A login e-mail as the service accepts it: one address, no display name, no spaces or control
/// characters (so no CR/LF header injection), a dotted domain, at most <see cref="MaximumLength"/>
/// characters. Every form that takes a login e-mail checks it here, with the same messages.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class LoginEmailAttribute : ValidationAttribute
{
    public const int MaximumLength = 100;

    /// <summary>The login and forgotten-password pages show this format in their hint.</summary>
    public const string ShortExample = "adresse@domaine.fr";
    /// <summary>The forms that create or change a login show this one (placeholder « utilisateur@domaine »).</summary>
    public const string UserExample = "utilisateur@domaine.fr";

    public static readonly string TooLongMessage = $"L'adresse électronique ne doit pas dépasser {MaximumLength} caractères.";
    public static readonly string Hint = $"L'adresse électronique doit être valide et ne pas dépasser {MaximumLength} caractères.";
    public const string LineBreakMessage = "L'adresse électronique ne doit pas contenir de retour à la ligne.";

    public static string InvalidMessage(string example) => $"Saisissez une adresse électronique valide, au format {example}.";

    /// <summary>The format the message names, as the page's hint or placeholder shows it.</summary>
    public string Example { get; init; } = ShortExample;

    /// <summary>
    /// What is wrong with a typed address, in French, or null when, once trimmed, it is a login
    /// e-mail; one message per problem, the first that applies. A line break is refused even at
    /// either end, where trimming would hide it: it can only come from a forged post.
    /// </summary>
    public static string? Problem(string typed, string example)
    {
        if (typed.Contains('\r') || typed.Contains('\n'))
        {
            return LineBreakMessage;
        }
        var text = typed.Trim();
        if (text.Length > MaximumLength)
        {
            return TooLongMessage;
        }
        return IsValidAddress(text) ? null : InvalidMessage(example);
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string { Length: > 0 } text && Problem(text, Example) is { } message
            ? new ValidationResult(message, validationContext.MemberName is { } member ? [member] : null)
            : ValidationResult.Success;

    public static bool IsValidAddress(string text) =>
        text.Length <= MaximumLength && Pattern().IsMatch(text) && !text.Contains("..", StringComparison.Ordinal);

    // Local part of common characters (not starting or ending with a dot), then a domain of
    // labels made of letters, digits and hyphens, with a top-level label of 2 letters or more.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex Pattern();
}
