namespace EspacePro.Tests.Infrastructure;

/// <summary>The identifiers form as a user fills it.</summary>
public static class Identifiers
{
    public const string Form = "#form-identifiants";
    public const string NewPassword = "Hirondelle-Cactus-Lanterne-Bleue";

    public static Task<Page> OpenAsync(this UserAgent user) => user.GetAsync("/gerer-mon-espace/identifiants");

    public static Task<Page> SubmitIdentifiersAsync(this UserAgent user, Page form,
        string? newEmail = null, string? confirmEmail = null,
        string? newPassword = null, string? confirmPassword = null,
        string? question = null, string? answer = null,
        bool? changeEmail = null, bool? changePassword = null, bool? changeTrust = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Input.NewEmail"] = newEmail,
            ["Input.ConfirmEmail"] = confirmEmail ?? newEmail,
            ["Input.NewPassword"] = newPassword,
            ["Input.ConfirmPassword"] = confirmPassword ?? newPassword,
            ["Input.Answer"] = answer,
        };
        if (question is not null)
        {
            values["Input.Question"] = question;
        }
        if (changeEmail ?? newEmail is not null)
        {
            values["Input.ChangeEmail"] = "true";
        }
        if (changePassword ?? newPassword is not null)
        {
            values["Input.ChangePassword"] = "true";
        }
        if (changeTrust ?? answer is not null)
        {
            values["Input.ChangeTrust"] = "true";
        }
        return user.SubmitAsync(form, Form, values);
    }

    /// <summary>Logs in then asks for a new login e-mail; returns the activation code from the e-mail.</summary>
    public static async Task<string> RequestEmailChangeAsync(this TestApp app, UserAgent user, string newEmail)
    {
        var form = await user.OpenAsync();
        var saved = await user.SubmitIdentifiersAsync(form, newEmail: newEmail);
        if (!saved.Url.AbsolutePath.EndsWith("/enregistrement", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("E-mail change refused: " + string.Join(" | ", saved.SummaryErrors));
        }
        var mails = await app.DeliverMailAsync();
        var mail = mails.Last(m => m.To == newEmail);
        return ActivationCodeIn(mail.TextBody);
    }

    public static string ActivationCodeIn(string text) =>
        System.Text.RegularExpressions.Regex.Match(text, @"(?m)^\s*([A-Za-z]{12})\s*$").Groups[1].Value;
}
