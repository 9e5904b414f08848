using System.Text.RegularExpressions;
using EspacePro.Web.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// The sheet's steps as a person does them, by the labels on the screen. Later flows (forgotten
/// password, account creation, contact details, deletion) add their steps here.
/// </summary>
public static partial class Sheet
{
    public static DemoData.DemoAccount NoService => DemoData.Spaces[0];
    public static DemoData.DemoAccount Lila => DemoData.Spaces[1];
    public static DemoData.DemoAccount SeveralCompanies => DemoData.Spaces[2];

    /// <summary>A link or button the person can see (the phone menu clones the header links).</summary>
    public static ILocator Visible(this IPage page, AriaRole role, string name) =>
        page.GetByRole(role, new() { Name = name, Exact = true }).Filter(new() { Visible = true }).First;

    public static ILocator Heading(this IPage page, string name) =>
        page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true });

    /// <summary>
    /// "Depuis un smartphone ou une tablette : cliquez sur le bouton « menu »": the DSFR menu
    /// opens and shows the navigation. Does nothing on a desktop, where it is always shown.
    /// </summary>
    public static async Task OpenMenuIfPhoneAsync(this BrowserUser user)
    {
        if (!user.Viewport.IsPhone)
        {
            return;
        }
        var page = user.Page;
        var menu = page.Locator("#menu-principal");
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Aide", Exact = true }).First).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true }).ClickAsync();
        await Expect(menu.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" })).ToBeVisibleAsync();
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Aide", Exact = true }).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await user.CheckPageAsync("menu ouvert");
    }

    /// <summary>« Connexion à l'espace professionnel », from any public page (through the menu on a phone).</summary>
    public static async Task GoToLoginAsync(this BrowserUser user)
    {
        await user.OpenMenuIfPhoneAsync();
        await user.Page.Visible(AriaRole.Link, "Connexion à l'espace professionnel").ClickAsync();
        await Expect(user.Page.Heading("Connexion à votre Espace professionnel")).ToBeVisibleAsync();
    }

    /// <summary>Types the e-mail and password and clicks « Se connecter » (the captcha is off unless the test turns it on).</summary>
    public static async Task SubmitLoginAsync(this BrowserUser user, string email, string password, string? captcha = null)
    {
        var page = user.Page;
        await page.GetByLabel("Adresse électronique").FillAsync(email);
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(password);
        if (captcha is not null)
        {
            await page.GetByLabel("Recopier les caractères").FillAsync(captcha);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
    }

    public const string LoginCodeSubject = "Espace professionnel - Code de sécurité";

    /// <summary>
    /// Logs in as a person does: e-mail and password (and the captcha's characters when the test
    /// turned it on), then, on a browser the space does not recognise yet, the « code de
    /// sécurité » read in the mail that login sent. Ends on the home page.
    /// </summary>
    public static async Task LogInAsync(this BrowserUser user, string email, string password, string? captcha = null)
    {
        var codesBefore = await user.CountMailsAsync(email, LoginCodeSubject);
        await user.SubmitLoginAsync(email, password, captcha);
        var page = user.Page;
        var home = page.Heading("Votre espace professionnel");
        var codeStep = page.Heading("Saisissez le code de sécurité reçu par courriel");
        await Expect(home.Or(codeStep)).ToBeAttachedAsync();
        if (await codeStep.IsVisibleAsync())
        {
            await user.TypeLoginCodeAsync(email, codesBefore);
        }
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(home).ToBeAttachedAsync();
    }

    public static Task LogInAsync(this BrowserUser user, DemoData.DemoAccount space) => user.LogInAsync(space.Email, space.Password);

    /// <summary>
    /// On « Saisissez le code de sécurité reçu par courriel »: reads the code in the newest of
    /// the login's mails (the one after the first <paramref name="codesBefore"/>) and validates it.
    /// </summary>
    public static async Task TypeLoginCodeAsync(this BrowserUser user, string email, int codesBefore)
    {
        var mail = await user.ReadMailAsync(email, LoginCodeSubject, newerThan: codesBefore);
        await user.Page.GetByLabel("Code de sécurité").FillAsync(LoginCodeIn(mail));
        await user.Page.GetByRole(AriaRole.Button, new() { Name = "Valider", Exact = true }).ClickAsync();
    }

    /// <summary>The one prologue of the identifiers walkthroughs: the login page, the login, « Gérer les services », the form.</summary>
    public static async Task LogInToIdentifiersFormAsync(this BrowserUser user, DemoData.DemoAccount space)
    {
        await user.GotoAsync("/connexion");
        await user.LogInAsync(space);
        await user.ManageSpaceAsync();
        await user.OpenIdentifiersFormAsync();
    }

    /// <summary>« Gérer les services » on the home page → « Gérer mon espace ».</summary>
    public static async Task ManageSpaceAsync(this BrowserUser user)
    {
        await user.Page.Visible(AriaRole.Link, "Gérer les services").ClickAsync();
        await Expect(user.Page.Heading("Gérer mon espace")).ToBeVisibleAsync();
    }

    /// <summary>« Modifier mes identifiants de connexion » on « Gérer mon espace ».</summary>
    public static async Task OpenIdentifiersFormAsync(this BrowserUser user)
    {
        await user.Page.GetByRole(AriaRole.Link, new() { Name = "Modifier mes identifiants de connexion", Exact = true }).ClickAsync();
        await Expect(user.Page.Heading("Modifier mes identifiants de connexion")).ToBeVisibleAsync();
        await Expect(user.Page.GetByText("Les champs marqués d'un astérisque (*) doivent être renseignés.")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Ticks a DSFR checkbox as a person does, on its label (the DSFR draws the box on the
    /// label; the real input lies beneath it).
    /// </summary>
    public static async Task TickAsync(this IPage page, string label)
    {
        var box = page.GetByLabel(label, new() { Exact = false }).And(page.GetByRole(AriaRole.Checkbox));
        var id = await box.GetAttributeAsync("id");
        await page.Locator($"label[for=\"{id}\"]").ClickAsync();
        await Expect(box).ToBeCheckedAsync();
    }

    /// <summary>« Valider » on the identifiers form, then the « Enregistrement » step.</summary>
    public static async Task ValidateIdentifiersAsync(this BrowserUser user)
    {
        await user.Page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Expect(user.Page.GetByText("Enregistrement effectué.")).ToBeVisibleAsync();
        await Expect(user.Page.Heading("Enregistrement de vos nouveaux identifiants de connexion")).ToBeVisibleAsync();
    }

    /// <summary>« Me déconnecter » (in the menu on a phone).</summary>
    public static async Task LogOutAsync(this BrowserUser user)
    {
        await user.OpenMenuIfPhoneAsync();
        await user.Page.Visible(AriaRole.Button, "Me déconnecter").ClickAsync();
        await Expect(user.Page.Heading("Vous êtes déconnecté")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Reads a mail as its recipient would, in a second tab: the app's mail folder shown on
    /// /dev/courriels (newest first). Waits for the outbox dispatcher; returns the text part.
    /// </summary>
    public static async Task<string> ReadMailAsync(this BrowserUser user, string to, string subject, bool check = false, int newerThan = 0)
    {
        var mailbox = await user.Context.NewPageAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            ILocator row;
            while (true)
            {
                await mailbox.GotoAsync("/dev/courriels");
                row = MailRows(mailbox, to, subject);
                if (await row.CountAsync() > newerThan)
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"No new mail « {subject} » to {to} on /dev/courriels.");
                await Task.Delay(250);
            }
            if (check)
            {
                await user.CheckAsync(mailbox, "courriels envoyés");
            }
            await row.First.GetByRole(AriaRole.Link, new() { Name = subject, Exact = true }).ClickAsync();
            await Expect(mailbox.Heading(subject)).ToBeVisibleAsync();
            if (check)
            {
                await user.CheckAsync(mailbox, "courriel");
            }
            return await mailbox.Locator("pre").InnerTextAsync();
        }
        finally
        {
            await mailbox.CloseAsync();
        }
    }

    /// <summary>How many mails « <paramref name="subject"/> » <paramref name="to"/> has received so far.</summary>
    public static async Task<int> CountMailsAsync(this BrowserUser user, string to, string subject)
    {
        var mailbox = await user.Context.NewPageAsync();
        try
        {
            await mailbox.GotoAsync("/dev/courriels");
            return await MailRows(mailbox, to, subject).CountAsync();
        }
        finally
        {
            await mailbox.CloseAsync();
        }
    }

    /// <summary>The rows of /dev/courriels for one recipient and subject, newest first.</summary>
    private static ILocator MailRows(IPage mailbox, string to, string subject) =>
        mailbox.GetByRole(AriaRole.Row)
            .Filter(new() { Has = mailbox.GetByRole(AriaRole.Cell, new() { Name = to, Exact = true }) })
            .Filter(new() { Has = mailbox.GetByRole(AriaRole.Link, new() { Name = subject, Exact = true }) });

    /// <summary>The 6-digit « code de sécurité » on a line of its own in the mail's text.</summary>
    public static string LoginCodeIn(string mailText)
    {
        var match = LoginCodeLine().Match(mailText);
        Assert.True(match.Success, "No 6-digit security code in the mail:" + Environment.NewLine + mailText);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"(?m)^\s*([0-9]{6})\s*$")]
    private static partial Regex LoginCodeLine();

    /// <summary>The 12-letter activation code on a line of its own in the mail's text.</summary>
    public static string ActivationCodeIn(string mailText)
    {
        var match = ActivationCodeLine().Match(mailText);
        Assert.True(match.Success, "No 12-letter activation code in the mail:" + Environment.NewLine + mailText);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"(?m)^\s*([A-Za-z]{12})\s*$")]
    private static partial Regex ActivationCodeLine();
}

/// <summary>What the person reads, whitespace folded (mail text parts wrap long lines).</summary>
public static class Text
{
    public static string Fold(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>"22 février 2029": the validity of a password changed today (Paris), as the app computes it.</summary>
    public static string ValidUntilIfChangedNow(int validityMonths = 36) =>
        EspacePro.Web.Common.FrenchFormat.LongDate(
            EspacePro.Web.Accounts.PasswordValidity.ValidUntil(DateTimeOffset.UtcNow, validityMonths));
}
