using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Common;

/// <summary>Section "App" of the configuration contract (SPEC §6).</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>
    /// Base of every link put in an e-mail. Never taken from the Host header (SECURITY.md §14);
    /// in Development only, the request's own origin is used when it is not set.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Folder for the SQLite file and the mail folder; relative to the content root.</summary>
    [Required(ErrorMessage = "App:DataDirectory is required.")]
    public string DataDirectory { get; set; } = "App_Data";
}

/// <summary>Section "Ui".</summary>
public sealed class UiOptions
{
    public const string Section = "Ui";

    /// <summary>The "démonstration, service non officiel" notice on every page (DSFR terms of use).</summary>
    public bool DemoBanner { get; set; } = true;
}
