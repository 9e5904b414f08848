using System.Collections.Frozen;
using System.Text.Json;

namespace EspacePro.Web.Passwords;

/// <summary>
/// One keyboard layout of zxcvbn-ts's adjacencyGraphs.json: for each key, its neighbours (each a
/// string "unshifted" + "shifted", or null at the edge) in a fixed direction order, so that a walk
/// along the keyboard ("azertyuiop", "1qaz2wsx") can be recognised and its turns counted.
/// </summary>
internal sealed class KeyboardGraph
{
    private KeyboardGraph(string name, FrozenDictionary<char, string?[]> adjacency)
    {
        Name = name;
        Adjacency = adjacency;
        IsKeypad = name.StartsWith("keypad", StringComparison.Ordinal);
        StartingPositions = adjacency.Count;
        AverageDegree = adjacency.Values.Average(neighbours => neighbours.Count(n => n is not null));
        // A character reached with Shift is the second one of some neighbour pair ("&1" on azerty).
        ShiftedCharacters = IsKeypad
            ? FrozenSet<char>.Empty
            : adjacency.Values.SelectMany(n => n).Where(n => n is { Length: 2 }).Select(n => n![1]).ToFrozenSet();
    }

    public string Name { get; }

    public bool IsKeypad { get; }

    public FrozenDictionary<char, string?[]> Adjacency { get; }

    public double StartingPositions { get; }

    public double AverageDegree { get; }

    public FrozenSet<char> ShiftedCharacters { get; }

    public static IReadOnlyList<KeyboardGraph> Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var graphs = new List<KeyboardGraph>();
        foreach (var graph in document.RootElement.EnumerateObject())
        {
            var adjacency = new Dictionary<char, string?[]>();
            foreach (var key in graph.Value.EnumerateObject())
            {
                if (key.Name.Length != 1)
                {
                    continue;
                }
                adjacency[key.Name[0]] = key.Value.EnumerateArray()
                    .Select(n => n.ValueKind == JsonValueKind.String ? n.GetString() : null)
                    .ToArray();
            }
            graphs.Add(new KeyboardGraph(graph.Name, adjacency.ToFrozenDictionary()));
        }
        return graphs;
    }
}
