namespace EspacePro.Web.Pages.GererMonEspace;

/// <summary>
/// The items of « Gérer mon espace », block by block as in the sheet, each with its « En savoir
/// plus » help. The page and the help page (<c>/aide#anchor</c>) both render this one list, so an
/// item and its help cannot drift apart. An item without a page is one this demonstration does
/// not provide: it is shown « non disponible ».
/// </summary>
public static class AccountMenu
{
    public sealed record Item(string Label, string? Href, string Anchor, string Help);

    public sealed record Block(string Id, string Title, IReadOnlyList<Item> Items);

    public static readonly IReadOnlyList<Block> Blocks =
    [
        new("bloc-services", "SERVICES",
        [
            new("Adhérer aux services", null, "adherer-aux-services",
                "Demander l'accès aux services en ligne (déclarer, payer, consulter) d'une entreprise, qui sont ensuite activés par un code envoyé à son siège."),
            new("Remplacer le titulaire (substitution)", null, "substitution",
                "Reprendre les services d'une entreprise détenus par un autre espace, par exemple à l'arrivée d'un nouveau dirigeant."),
            new("Consulter mes services (habilitations)", null, "habilitations",
                "Voir, entreprise par entreprise, les services dont votre espace dispose et depuis quand."),
        ]),
        new("bloc-donnees", "DONNEES PERSONNELLES",
        [
            new("Modifier mes coordonnées", "/gerer-mon-espace/coordonnees", "modifier-mes-coordonnees",
                "Changer votre numéro de téléphone et votre adresse postale ; ils figurent sur votre récapitulatif."),
            new("Modifier mes identifiants de connexion", "/gerer-mon-espace/identifiants", "modifier-mes-identifiants",
                "Changer votre adresse électronique de connexion, votre mot de passe ou votre question de confiance et sa réponse (voir les étapes plus haut sur cette page)."),
            new("Activité de mon espace (connexions et sessions)", "/gerer-mon-espace/activite", "activite-de-mon-espace",
                "Voir les connexions, les tentatives refusées et les changements de votre espace des 12 derniers mois, et fermer les sessions ouvertes sur d'autres navigateurs."),
            new("Supprimer mon espace professionnel", "/gerer-mon-espace/suppression", "supprimer-mon-espace",
                "Supprimer définitivement votre espace après confirmation de votre mot de passe : ses données sont effacées et un courriel vous le confirme."),
        ]),
        new("bloc-partage", "PARTAGE DES SERVICES",
        [
            new("Gérer mes administrateurs suppléants", null, "administrateurs-suppleants",
                "Désigner d'autres espaces qui peuvent, comme vous, gérer les services d'une entreprise."),
            new("Gérer mes délégations", null, "delegations",
                "Confier l'usage de certains services à un collaborateur ou à un cabinet, et retirer ces délégations."),
        ]),
        new("bloc-entreprise", "DONNEES DE L'ENTREPRISE",
        [
            new("Gérer les comptes bancaires", null, "comptes-bancaires",
                "Enregistrer les comptes bancaires utilisés pour payer les impôts de l'entreprise ou recevoir ses remboursements."),
            new("Modifier l'adresse électronique de l'entreprise", null, "adresse-entreprise",
                "Changer l'adresse à laquelle l'administration écrit à l'entreprise (messagerie sécurisée)."),
        ]),
    ];
}
