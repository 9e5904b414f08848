using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EspacePro.Web.Passwords;

/// <summary>
/// Word lists from the zxcvbn-ts npm packages (installed by the build, never committed):
/// the most common passwords and French words, first names, last names, each word with its
/// frequency rank. Loaded once, on first use.
/// </summary>
public sealed partial class PasswordDictionaries(string nodeModulesDirectory)
{
    private readonly Lazy<Lists> _lists = new(() => Load(nodeModulesDirectory));

    /// <summary>Rank (1 = most common) of a known common password, lower-case.</summary>
    public FrozenDictionary<string, int> CommonPasswords => _lists.Value.Passwords;

    /// <summary>Rank of a French word or name, lower-case.</summary>
    public FrozenDictionary<string, int> FrenchWords => _lists.Value.Words;

    public int LongestWord => _lists.Value.LongestWord;

    /// <summary>Forces the load (at start-up, so the first user does not wait).</summary>
    public void Warm() => _ = _lists.Value;

    private sealed record Lists(FrozenDictionary<string, int> Passwords, FrozenDictionary<string, int> Words, int LongestWord);

    private static Lists Load(string nodeModules)
    {
        var passwords = Ranked(Read(nodeModules, "@zxcvbn-ts/language-common/dist/passwords.json.mjs"));
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var list in new[] { "commonWords", "wikipedia", "firstnames", "lastnames" })
        {
            foreach (var (word, rank) in Ranked(Read(nodeModules, $"@zxcvbn-ts/language-fr/dist/{list}.json.mjs")))
            {
                words[word] = words.TryGetValue(word, out var existing) ? Math.Min(existing, rank) : rank;
            }
        }
        var longest = Math.Max(passwords.Keys.Max(k => k.Length), words.Keys.Max(k => k.Length));
        return new(passwords.ToFrozenDictionary(StringComparer.Ordinal), words.ToFrozenDictionary(StringComparer.Ordinal), longest);
    }

    private static Dictionary<string, int> Ranked(IReadOnlyList<string> words)
    {
        var ranked = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            ranked.TryAdd(words[i].ToLowerInvariant(), i + 1);
        }
        return ranked;
    }

    /// <summary>
    /// The packages ship each list as <c>decompress("…")</c>: a capital letter giving how many
    /// characters to keep from the previous word, then the rest of the word.
    /// </summary>
    private static List<string> Read(string nodeModules, string relativePath)
    {
        var path = Path.Combine(nodeModules, relativePath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Password dictionary missing at {path}: build the project (it runs npm install).");
        }
        var match = Encoded().Match(File.ReadAllText(path));
        if (!match.Success)
        {
            throw new InvalidOperationException($"Unexpected format of {path}.");
        }
        var encoded = JsonSerializer.Deserialize<string>("\"" + match.Groups[1].Value + "\"")!;
        return Decompress(encoded);
    }

    public static List<string> Decompress(string encoded)
    {
        var result = new List<string>();
        var last = "";
        var i = 0;
        while (i < encoded.Length)
        {
            var keep = encoded[i] - 'A';
            var end = i + 1;
            while (end < encoded.Length && encoded[end] is not (>= 'A' and <= 'Z'))
            {
                end++;
            }
            last = last[..Math.Min(keep, last.Length)] + encoded[(i + 1)..end];
            result.Add(last);
            i = end;
        }
        return result;
    }

    [GeneratedRegex(@"decompress\(""((?:[^""\\]|\\.)*)""\)")]
    private static partial Regex Encoded();
}
