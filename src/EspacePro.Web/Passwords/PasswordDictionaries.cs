using System.Diagnostics;
using System.Text.Json;

namespace EspacePro.Web.Passwords;

/// <summary>
/// The word lists and keyboard layouts of the zxcvbn-ts language packages (npm
/// <c>@zxcvbn-ts/language-common</c>, <c>-fr</c>, <c>-en</c>), read from their plain JSON sources
/// under <c>node_modules</c>. Loaded once, on first use, by whichever thread gets there first;
/// every later reader sees the same lookups, never written again (so concurrent reads are safe).
/// Packed in <see cref="WordRanks"/> tables: 150,000 words take about 5 MB, half a
/// dictionary of strings (and a frozen dictionary took 10 MiB more still).
/// </summary>
public sealed class PasswordDictionaries(string nodeModulesDirectory)
{
    /// <summary>
    /// Every word of a diceware list is equally likely, so an attacker needs on average half the
    /// list to find one (zxcvbn-ts gives these words the same flat rank).
    /// </summary>
    private const int DicewareRank = 7776 / 2;

    // The lists, ranked by frequency (first = most common). English surnames (89,000 of them) are
    // left out: they cost memory and hardly weigh on passwords chosen by French users.
    private static readonly ListFile[] Lists =
    [
        new("language-common", "passwords.json", ListKind.CommonPasswords),
        new("language-common", "diceware.json", ListKind.Diceware),
        new("language-fr", "commonWords.json", ListKind.Words),
        new("language-fr", "wikipedia.json", ListKind.Words),
        // The French package has its two name files swapped; both are names all the same.
        new("language-fr", "firstnames.json", ListKind.Words),
        new("language-fr", "lastnames.json", ListKind.Words),
        new("language-en", "commonWords.json", ListKind.Words),
        new("language-en", "wikipedia.json", ListKind.Words),
        new("language-en", "firstnames.json", ListKind.Words),
    ];

    private const string KeyboardFile = "adjacencyGraphs.json";

    private readonly string root = Path.GetFullPath(nodeModulesDirectory ?? throw new ArgumentNullException(nameof(nodeModulesDirectory)));
    private readonly Lazy<Loaded> loaded = new(() => Load(Path.GetFullPath(nodeModulesDirectory)), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads the lists now (e.g. at start-up) instead of on the first password checked.</summary>
    public PasswordDictionaryStatistics EnsureLoaded() => loaded.Value.Statistics;

    /// <summary>Common passwords, folded (lower case, no accents), with their rank (1 = most common).</summary>
    internal WordRanks CommonPasswords => loaded.Value.CommonPasswords;

    /// <summary>Every listed word, name and common password, folded, with its best rank over all lists.</summary>
    internal WordRanks Words => loaded.Value.Words;

    internal IReadOnlyList<KeyboardGraph> Keyboards => loaded.Value.Keyboards;

    public override string ToString() => $"Password dictionaries under {root}";

    private static Loaded Load(string root)
    {
        var stopwatch = Stopwatch.StartNew();
        var packages = Path.Combine(root, "@zxcvbn-ts");
        if (!Directory.Exists(packages))
        {
            throw new InvalidOperationException(
                $"The password dictionaries are missing: '{packages}' does not exist. " +
                "They come from the npm packages @zxcvbn-ts/language-common, -fr and -en; run 'npm ci' in src/EspacePro.Web (the build does it) and publish node_modules/@zxcvbn-ts.");
        }

        // Folded forms collide ("été"/"ete", a word in several lists): each word is kept once,
        // with its best rank.
        // Sized for the lists of the pinned packages (151,357 words of 1.13 million characters,
        // 49,233 passwords): they grow if a new version has more. One read buffer serves every
        // file: the load leaves about 1 MB of garbage, not the 20 MB it used to.
        var words = new WordRanks.Builder(expectedWords: 160_000, expectedCharacters: 1_200_000);
        var common = new WordRanks.Builder(expectedWords: 52_000, expectedCharacters: 360_000);
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var buffer = new char[256];
        var bytes = Array.Empty<byte>();

        foreach (var list in Lists)
        {
            var path = Path.Combine(packages, list.Package, "src", list.File);
            var reader = new Utf8JsonReader(ReadFile(RequireFile(path), ref bytes));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw NotAStringArray(path);
            }
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw NotAStringArray(path);
                }
                index++;
                if (reader.ValueSpan.Length > buffer.Length)
                {
                    continue; // not a word anyone types
                }
                var length = reader.CopyString(buffer);
                if (length < 2)
                {
                    continue; // a password part is never looked up below two characters
                }
                var folded = buffer.AsSpan(0, length);
                for (var i = 0; i < folded.Length; i++)
                {
                    folded[i] = PasswordText.Fold(folded[i]);
                }
                var rank = list.Kind == ListKind.Diceware ? DicewareRank : index;
                words.Add(folded, rank);
                if (list.Kind == ListKind.CommonPasswords)
                {
                    common.Add(folded, rank);
                }
            }
            sizes[$"{list.Package}/{list.File}"] = index;
        }

        var keyboards = KeyboardGraph.Parse(File.ReadAllBytes(RequireFile(Path.Combine(packages, "language-common", "src", KeyboardFile))));
        var commonPasswords = common.Build();
        var allWords = words.Build();

        stopwatch.Stop();
        var statistics = new PasswordDictionaryStatistics(commonPasswords.Count, allWords.Count, keyboards.Count, sizes, stopwatch.Elapsed);
        return new Loaded(commonPasswords, allWords, keyboards, statistics);
    }

    /// <summary>The file's bytes, in <paramref name="buffer"/> (grown to fit when needed).</summary>
    private static ReadOnlySpan<byte> ReadFile(string path, ref byte[] buffer)
    {
        using var file = File.OpenHandle(path);
        var length = checked((int)RandomAccess.GetLength(file));
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, 1 << 20)];
        }
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(file, buffer.AsSpan(read, length - read), read);
            if (n == 0)
            {
                break; // shortened meanwhile: parse what is there
            }
            read += n;
        }
        return buffer.AsSpan(0, read);
    }

    private static string RequireFile(string path) => File.Exists(path)
        ? path
        : throw new InvalidOperationException(
            $"The password dictionary file '{path}' is missing: check the @zxcvbn-ts packages in src/EspacePro.Web/package.json and run 'npm ci' there.");

    private static InvalidOperationException NotAStringArray(string path) =>
        new($"The password dictionary file '{path}' is not a JSON array of strings.");

    private enum ListKind { CommonPasswords, Diceware, Words }

    private sealed record ListFile(string Package, string File, ListKind Kind);

    private sealed record Loaded(
        WordRanks CommonPasswords,
        WordRanks Words,
        IReadOnlyList<KeyboardGraph> Keyboards,
        PasswordDictionaryStatistics Statistics);
}

/// <summary>What was loaded, for the start-up log and the health of the service.</summary>
public sealed record PasswordDictionaryStatistics(
    int CommonPasswords,
    int Words,
    int Keyboards,
    IReadOnlyDictionary<string, int> ListSizes,
    TimeSpan LoadTime);
