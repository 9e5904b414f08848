namespace EspacePro.Web.Passwords;

/// <summary>
/// Words an attacker who targets this service or this person tries first (docs/security.md R2): the
/// service's own names and the account holder's names, e-mail and subscriber number, folded.
/// </summary>
internal static class PasswordContextWords
{
    // "impôts.gouv.fr", "DGFiP", "finances.gouv.fr": the names a user of this site sees everywhere.
    private static readonly string[] ServiceWords = ["impots", "impot", "dgfip", "gouv", "finances", "finance"];

    // Shorter pieces (initials, "de", "le") are everywhere in ordinary phrases.
    private const int MinimumPieceLength = 3;

    public static IReadOnlyList<string> For(PasswordContext context)
    {
        var words = new List<string>();
        AddName(words, context.FirstName);
        AddName(words, context.LastName);
        AddEmail(words, context.Email);
        var subscriber = new string((context.SubscriberNumber ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        Add(words, subscriber);
        words.AddRange(ServiceWords);
        return words.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void AddName(List<string> words, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }
        var folded = PasswordText.Fold(PasswordText.Normalize(name.Trim()));
        var pieces = Pieces(folded);
        // "Jean-Pierre": "jeanpierre" as typed without its hyphen, and each part.
        Add(words, string.Concat(pieces));
        foreach (var piece in pieces)
        {
            Add(words, piece);
        }
    }

    private static void AddEmail(List<string> words, string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return;
        }
        var folded = PasswordText.Fold(PasswordText.Normalize(email.Trim()));
        Add(words, folded);
        var at = folded.LastIndexOf('@');
        var local = at > 0 ? folded[..at] : folded;
        Add(words, local);
        var pieces = Pieces(local);
        Add(words, string.Concat(pieces));
        foreach (var piece in pieces)
        {
            Add(words, piece);
            // "rosemonde11": the name without the digits people add to find a free address.
            Add(words, new string(piece.Where(char.IsLetter).ToArray()));
        }
    }

    private static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inside = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inside && start < 0)
            {
                start = i;
            }
            else if (!inside && start >= 0)
            {
                pieces.Add(text[start..i]);
                start = -1;
            }
        }
        return pieces;
    }

    private static void Add(List<string> words, string word)
    {
        if (word.Length >= MinimumPieceLength)
        {
            words.Add(word);
        }
    }
}
