namespace EspacePro.Web.Accounts;

/// <summary>Section "Security": how recent a login must be to change identifiers (docs/security.md R15).</summary>
public sealed class RecentLoginOptions
{
    public const string Section = "Security";

    /// <summary>Key <c>Security:RecentLogin</c>; older sessions confirm the current password first.</summary>
    public TimeSpan RecentLogin { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Window => RecentLogin;
}
