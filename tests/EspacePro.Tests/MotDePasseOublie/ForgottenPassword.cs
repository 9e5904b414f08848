using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.MotDePasseOublie;

/// <summary>« Mot de passe oublié » as a user goes through it: the form, the mailbox, the steps.</summary>
public static class ForgottenPassword
{
    public const string RequestForm = "#form-mot-de-passe-oublie";
    public const string QuestionForm = "#form-question";
    public const string PasswordForm = "#form-nouveau-mot-de-passe";
    public const string NewPassword = "Hirondelle-Cactus-Lanterne-Bleue";
    public const string NeutralMessage =
        "Si cette adresse correspond à un espace professionnel activé, un courriel contenant un lien de réinitialisation vient d'y être envoyé. Ce lien est valable une heure et ne peut servir qu'une fois.";

    /// <summary>Step 1: types the address (and the captcha when given) and submits.</summary>
    public static async Task<Page> RequestResetAsync(this UserAgent user, string email, string? captcha = null, bool follow = true)
    {
        var form = await user.GetAsync("/mot-de-passe-oublie");
        var values = new Dictionary<string, string?> { ["Input.Email"] = email };
        if (captcha is not null)
        {
            values["Captcha.Answer"] = captcha;
        }
        return await user.SubmitAsync(form, RequestForm, values, follow);
    }

    /// <summary>Asks for a reset and returns the link of the mail it caused.</summary>
    public static async Task<Uri> ResetLinkAsync(this TestApp app, UserAgent user, string email)
    {
        await user.RequestResetAsync(email);
        var mail = (await app.DeliverMailAsync()).To(email);
        return Assert.Single(mail.Links(), l => l.AbsolutePath.StartsWith("/mot-de-passe-oublie/lien/", StringComparison.Ordinal));
    }

    public static Task<Page> OpenLinkAsync(this UserAgent user, Uri link) => user.GetAsync(link.PathAndQuery);

    public static Task<Page> AnswerAsync(this UserAgent user, Page question, string answer) =>
        user.SubmitAsync(question, QuestionForm, new Dictionary<string, string?> { ["Answer"] = answer });

    public static Task<Page> ChoosePasswordAsync(this UserAgent user, Page form, string password, string? confirmation = null) =>
        user.SubmitAsync(form, PasswordForm, new Dictionary<string, string?>
        {
            ["Input.NewPassword"] = password,
            ["Input.ConfirmPassword"] = confirmation ?? password,
        });

    /// <summary>The whole flow from the e-mail to the confirmation page.</summary>
    public static async Task<Page> ResetPasswordAsync(this TestApp app, UserAgent user, string email, string answer, string newPassword = NewPassword)
    {
        var question = await user.OpenLinkAsync(await app.ResetLinkAsync(user, email));
        var form = await user.AnswerAsync(question, answer);
        return await user.ChoosePasswordAsync(form, newPassword);
    }
}
