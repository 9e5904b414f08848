using System.Numerics;

namespace EspacePro.Web.Passwords;

/// <summary>
/// Folded words with their ranks, packed for a node's memory budget (bench/README.md): one character
/// array holds every word end to end, and an open-addressing table of indexes finds them by a
/// span, with no string per word. 150,000 words take about 5 MB here against 11 MB as a
/// <c>Dictionary&lt;string, int&gt;</c>, and a look-up costs the same: one hash, one or two
/// span comparisons. Built once, then only read: concurrent look-ups are safe.
/// </summary>
internal sealed class WordRanks
{
    private readonly char[] text;
    private readonly int[] starts; // word i is text[starts[i]..starts[i + 1]]
    private readonly int[] ranks;
    private readonly int[] slots;  // 1 + the index of a word, 0 for an empty slot
    private readonly int mask;

    private WordRanks(char[] text, int[] starts, int[] ranks, int[] slots, int count, int maximumLength)
    {
        this.text = text;
        this.starts = starts;
        this.ranks = ranks;
        this.slots = slots;
        mask = slots.Length - 1;
        Count = count;
        MaximumLength = maximumLength;
    }

    public int Count { get; }

    /// <summary>Length of the longest word: no longer span needs a look-up.</summary>
    public int MaximumLength { get; }

    public bool ContainsKey(ReadOnlySpan<char> word) => TryGetValue(word, out _);

    public bool TryGetValue(ReadOnlySpan<char> word, out int rank)
    {
        if (word.Length <= MaximumLength)
        {
            for (var slot = Hash(word) & mask; slots[slot] != 0; slot = (slot + 1) & mask)
            {
                var index = slots[slot] - 1;
                if (word.SequenceEqual(text.AsSpan(starts[index], starts[index + 1] - starts[index])))
                {
                    rank = ranks[index];
                    return true;
                }
            }
        }
        rank = 0;
        return false;
    }

    // Per-process randomised (Marvin), so that no one can choose words that all collide.
    private static int Hash(ReadOnlySpan<char> word) => string.GetHashCode(word) & int.MaxValue;

    /// <summary>
    /// Collects words; a word added twice keeps its best (lowest) rank. Sized from the expected
    /// counts, it grows (by doubling) only when they are exceeded, and <see cref="Build"/> hands
    /// its arrays over as they are: loading 150,000 words leaves almost no garbage behind.
    /// </summary>
    internal sealed class Builder(int expectedWords = 1024, int expectedCharacters = 8192)
    {
        private char[] text = new char[Math.Max(16, expectedCharacters)];
        private int length;
        private int[] starts = new int[Math.Max(16, expectedWords + 1)];
        private int[] ranks = new int[Math.Max(16, expectedWords)];
        private int[] slots = new int[SlotsFor(expectedWords)];
        private int count;
        private int maximumLength;
        private bool built;

        public void Add(ReadOnlySpan<char> word, int rank)
        {
            ObjectDisposedException.ThrowIf(built, this);
            var slot = Hash(word) & (slots.Length - 1);
            for (; slots[slot] != 0; slot = (slot + 1) & (slots.Length - 1))
            {
                var index = slots[slot] - 1;
                if (word.SequenceEqual(text.AsSpan(starts[index], starts[index + 1] - starts[index])))
                {
                    ranks[index] = Math.Min(ranks[index], rank);
                    return;
                }
            }

            if (length + word.Length > text.Length)
            {
                Array.Resize(ref text, Math.Max(text.Length * 2, length + word.Length));
            }
            if (count + 2 > starts.Length)
            {
                Array.Resize(ref starts, starts.Length * 2);
            }
            if (count + 1 > ranks.Length)
            {
                Array.Resize(ref ranks, ranks.Length * 2);
            }
            starts[count] = length;
            word.CopyTo(text.AsSpan(length));
            length += word.Length;
            ranks[count] = rank;
            count++;
            starts[count] = length;
            slots[slot] = count;
            maximumLength = Math.Max(maximumLength, word.Length);

            // At most two thirds full: probe runs stay short.
            if (count * 3 > slots.Length * 2)
            {
                slots = Slots(slots.Length * 2);
            }
        }

        /// <summary>The table, over the builder's own arrays (the builder is done after this).</summary>
        public WordRanks Build()
        {
            ObjectDisposedException.ThrowIf(built, this);
            built = true;
            return new WordRanks(text, starts, ranks, slots, count, maximumLength);
        }

        private static int SlotsFor(int words) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, words + words / 2));

        private int[] Slots(int size)
        {
            var table = new int[size];
            for (var index = 0; index < count; index++)
            {
                var slot = Hash(text.AsSpan(starts[index], starts[index + 1] - starts[index])) & (size - 1);
                while (table[slot] != 0)
                {
                    slot = (slot + 1) & (size - 1);
                }
                table[slot] = index + 1;
            }
            return table;
        }
    }
}
