namespace EspacePro.Web.Common;

/// <summary>Section "Ui".</summary>
public sealed class UiOptions
{
    public const string Section = "Ui";

    /// <summary>The "démonstration, service non officiel" notice on every page (DSFR terms of use).</summary>
    public bool DemoBanner { get; set; } = true;
}
