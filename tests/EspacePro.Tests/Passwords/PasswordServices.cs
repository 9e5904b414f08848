using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Passwords;
using Microsoft.Extensions.Options;

namespace EspacePro.Tests.Passwords;

/// <summary>One load of the npm word lists for every password test, as the app's singleton does.</summary>
internal static class PasswordServices
{
    private static readonly Lazy<PasswordDictionaries> LazyDictionaries = new(() =>
    {
        var dictionaries = new PasswordDictionaries(RepoPaths.NodeModules);
        dictionaries.EnsureLoaded();
        return dictionaries;
    });

    public static PasswordDictionaries Dictionaries => LazyDictionaries.Value;

    public static PasswordPolicy Policy { get; } = CreatePolicy(new PasswordOptions());

    public static PasswordStrengthEstimator Estimator { get; } = new(Dictionaries, Policy);

    public static PasswordPolicy CreatePolicy(PasswordOptions options) => new(Options.Create(options), Dictionaries);

    /// <summary>The sheet's account holder (Lila ROSEMONDE).</summary>
    public static PasswordContext Lila { get; } = new("lila.rosemonde11@orange.fr", "Lila", "ROSEMONDE", "20101670101919");

    /// <summary>20 characters with no word, run, sequence or keyboard walk.</summary>
    public const string Random20 = "Kp9#vQ2!mZ7@tR4$wX8&";

    /// <summary>A deterministic random string of letters, digits and symbols.</summary>
    public static string RandomString(int length, int seed = 20260223)
    {
        const string alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789#$%&*+=?@";
        var random = new Random(seed);
        return string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]));
    }
}
