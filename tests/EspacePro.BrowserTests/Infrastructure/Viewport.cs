namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// The sheet's two ways in: "Depuis un ordinateur" and "Depuis un smartphone ou une tablette"
/// (where the DSFR "Menu" button opens the navigation).
/// </summary>
public sealed record Viewport(string Name, int Width, int Height, bool IsPhone)
{
    public static readonly Viewport Desktop = new("desktop", 1280, 900, false);
    public static readonly Viewport Phone = new("phone", 390, 844, true);

    /// <summary>For <c>[MemberData(nameof(Viewport.Both), MemberType = typeof(Viewport))]</c>.</summary>
    public static TheoryData<string> Both => [Desktop.Name, Phone.Name];

    public static Viewport Named(string name) => name switch
    {
        "desktop" => Desktop,
        "phone" => Phone,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "desktop or phone"),
    };

    public override string ToString() => Name;
}
