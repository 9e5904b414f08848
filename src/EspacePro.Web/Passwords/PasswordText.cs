using System.Text;

namespace EspacePro.Web.Passwords;

/// <summary>What the hasher and the rules see of a password: NFKC, nothing trimmed.</summary>
public static class PasswordText
{
    public static string Normalize(string password) => password.Normalize(NormalizationForm.FormKC);

    /// <summary>Length in Unicode code points, as the rules count it (an emoji is one).</summary>
    public static int CodePoints(string password) => password.EnumerateRunes().Count();
}

public sealed record PasswordContext(string? Email, string? FirstName, string? LastName, string? SubscriberNumber);
