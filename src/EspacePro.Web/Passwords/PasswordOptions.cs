using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Passwords;

/// <summary>Section "Password" of the configuration (the README's settings table).</summary>
public sealed class PasswordOptions
{
    public const string Section = "Password";

    [Range(8, MaximumCodePoints, ErrorMessage = "Password:MinimumLength must be between {1} and {2}.")]
    public int MinimumLength { get; set; } = 20;

    /// <summary>
    /// Upper bound of a password, in Unicode code points after normalisation; not configurable.
    /// Every form that takes a password (new or current) checks it with
    /// <see cref="PasswordText.IsWithinMaximum"/> and says <see cref="PasswordMessages.TooLong"/>
    /// with this figure, so the limit and its message cannot disagree.
    /// </summary>
    public const int MaximumCodePoints = 128;

    public int MaximumLength => MaximumCodePoints;

    [Range(1, 120, ErrorMessage = "Password:ValidityMonths must be between 1 and 120.")]
    public int ValidityMonths { get; set; } = 36;

    /// <summary>How many Argon2id hashes run at once, each on a thread of its own; the rest queue.</summary>
    [Range(1, 256, ErrorMessage = "Password:HashConcurrency must be between {1} and {2}.")]
    public int HashConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Linux nice value of the hashing threads, so that pages run first during a login storm.</summary>
    [Range(0, 19, ErrorMessage = "Password:HashNice must be between {1} and {2}.")]
    public int HashNice { get; set; } = 10;

    /// <summary>How often each node looks for passwords to remind of (real time).</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>false turns the reminder loop off: tests run the reminders themselves.</summary>
    public bool BackgroundReminders { get; set; } = true;
}
