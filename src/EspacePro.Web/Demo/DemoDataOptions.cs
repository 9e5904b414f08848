namespace EspacePro.Web.Demo;

/// <summary>Section "DemoData": on by default in Development only.</summary>
public sealed class DemoDataOptions
{
    public const string Section = "DemoData";
    public bool? Enabled { get; set; }
}
