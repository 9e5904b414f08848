namespace EspacePro.Web.Accounts;

/// <summary>The fixed list offered in the "Question *" select; spaces store the key.</summary>
public static class TrustQuestions
{
    public static readonly IReadOnlyList<(string Key, string Label)> All =
    [
        ("plat", "Quel est votre plat préféré ?"),
        ("animal", "Quel est le nom de votre premier animal de compagnie ?"),
        ("ville", "Dans quelle ville êtes-vous né(e) ?"),
        ("ecole", "Quel est le nom de votre école primaire ?"),
        ("livre", "Quel est le titre de votre livre préféré ?"),
        ("personnage", "Quel est votre personnage historique préféré ?"),
        ("metier", "Quel métier rêviez-vous d'exercer enfant ?"),
    ];

    public static bool IsKnown(string? key) => All.Any(q => q.Key == key);

    public static string LabelOf(string key) => All.FirstOrDefault(q => q.Key == key).Label ?? key;
}
