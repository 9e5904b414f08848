using EspacePro.Web.Demo;

namespace EspacePro.Tests.Infrastructure;

/// <summary>User stories shared by the tests: the demo spaces and how a person logs in.</summary>
public static class Users
{
    public static DemoData.DemoAccount NoService => DemoData.Spaces[0];
    public static DemoData.DemoAccount Lila => DemoData.Spaces[1];
    public static DemoData.DemoAccount SeveralCompanies => DemoData.Spaces[2];

    public static async Task<Page> LoginAsync(this UserAgent user, string email, string password, string? captcha = null)
    {
        var page = await user.GetAsync("/connexion");
        var values = new Dictionary<string, string?>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        if (captcha is not null)
        {
            values["Captcha.Answer"] = captcha;
        }
        return await user.SubmitAsync(page, "#form-connexion", values);
    }

    public static Task<Page> LoginAsync(this UserAgent user, DemoData.DemoAccount space) =>
        user.LoginAsync(space.Email, space.Password);

    public const string CodeForm = "#form-code-securite";

    /// <summary>
    /// Logs in with the « code de sécurité » on: after the password, a browser the space does
    /// not recognise types the code its holder reads in the mail just delivered.
    /// </summary>
    public static async Task<Page> LoginWithCodeAsync(this TestApp app, UserAgent user, string email, string password)
    {
        var page = await user.LoginAsync(email, password);
        if (page.Url.AbsolutePath != "/connexion/code")
        {
            return page;
        }
        var mail = (await app.DeliverMailAsync()).Last(m => string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase));
        return await user.SubmitAsync(page, CodeForm, new Dictionary<string, string?> { ["Code"] = mail.LoginCode() });
    }

    public static Task<Page> LoginWithCodeAsync(this TestApp app, UserAgent user, DemoData.DemoAccount space) =>
        app.LoginWithCodeAsync(user, space.Email, space.Password);
}
