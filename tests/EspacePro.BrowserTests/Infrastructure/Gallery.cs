namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// The README's gallery (docs/screens/), refreshed from a run's screens when
/// <c>ESPACEPRO_UPDATE_SCREENS=1</c>; otherwise the committed images are left alone, so that a
/// test run never changes the repository.
/// </summary>
public static class Gallery
{
    /// <summary>Screen taken by the tests → file in docs/screens.</summary>
    public static readonly IReadOnlyList<(string Taken, string Committed)> Screens =
    [
        ("gallery-connexion-desktop.png", "connexion.png"),
        ("gallery-accueil-desktop.png", "accueil.png"),
        ("gallery-accueil-phone.png", "accueil-smartphone.png"),
        ("gallery-identifiants-desktop.png", "identifiants.png"),
        ("gallery-enregistrement-desktop.png", "enregistrement-mot-de-passe.png"),
        ("gallery-enregistrement-adresse-desktop.png", "enregistrement-adresse.png"),
        ("gallery-activation-1-code-desktop.png", "activation-1-code.png"),
        ("gallery-activation-2-identifiants-desktop.png", "activation-2-identifiants.png"),
        ("gallery-activation-3-recapitulatif-desktop.png", "activation-3-recapitulatif.png"),
        ("gallery-recapitulatif-pdf.png", "recapitulatif-pdf.png"),
        ("gallery-activite-desktop.png", "activite.png"),
        ("gallery-code-securite-desktop.png", "connexion-code-securite.png"),
        ("gallery-connexion-verification-automatique-desktop.png", "connexion-verification-automatique.png"),
    ];

    public static void UpdateIfAsked()
    {
        if (Environment.GetEnvironmentVariable("ESPACEPRO_UPDATE_SCREENS") != "1")
        {
            return;
        }
        Directory.CreateDirectory(RepoPaths.DocsScreens);
        foreach (var (taken, committed) in Screens)
        {
            var source = Path.Combine(Artifacts.Screens, taken);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(RepoPaths.DocsScreens, committed), overwrite: true);
            }
        }
    }
}
