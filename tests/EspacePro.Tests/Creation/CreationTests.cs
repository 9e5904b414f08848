using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EspacePro.Tests.Creation;

public sealed class CreationTests
{
    private const string Email = "jeanne.martin@espacepro.test";
    private const string Password = "Coquelicot-Tambour-Aurore-Sel";

    internal static Dictionary<string, string?> Form(string email = Email, string? confirm = null) => new()
    {
        ["Input.Civility"] = "Madame",
        ["Input.LastName"] = "Martin",
        ["Input.FirstName"] = "Jeanne",
        ["Contact.Phone"] = "01 23 45 67 89",
        ["Contact.AddressLine"] = "8 rue des Écoles",
        ["Contact.PostalCode"] = "75005",
        ["Contact.City"] = "Paris",
        ["Input.Email"] = email,
        ["Input.ConfirmEmail"] = confirm ?? email,
        ["Input.Password"] = Password,
        ["Input.ConfirmPassword"] = Password,
        ["Input.Question"] = "livre",
        ["Input.Answer"] = "Vingt mille lieues sous les mers",
    };

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_new_space_is_activated_with_the_mailed_code_and_then_logs_in(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();

        var sent = await user.SubmitAsync(await user.GetAsync("/creation"), "#form-creation", Form());
        Assert.Contains($"Un code d'activation a été envoyé à l'adresse électronique suivante : {Email}.", sent.Text);

        // Not activated: the space does not log in yet.
        Assert.Equal("/connexion", (await user.LoginAsync(Email, Password)).Url.AbsolutePath);

        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Contains("Vous avez demandé la création d'un espace professionnel", mail.TextBody);
        var code = Identifiers.ActivationCodeIn(mail.TextBody);
        var step2 = await user.SubmitAsync(await user.GetAsync("/activation"), "#form-code", new Dictionary<string, string?> { ["Code"] = code });
        var step3 = await user.SubmitAsync(step2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = Email });

        var account = await app.DbAsync(db => db.Users.SingleAsync(a => a.LastName == "Martin"));
        Assert.Contains($"sous le numéro {account.SubscriberNumber}.", step3.Text);
        Assert.StartsWith("2026", account.SubscriberNumber);
        Assert.Equal(14, account.SubscriberNumber.Length);
        Assert.NotNull(account.ActivatedAt);
        Assert.Equal("0123456789", account.Phone);

        var home = await user.LoginAsync(Email, Password);
        Assert.Equal("/", home.Url.AbsolutePath);
        Assert.Contains("Mme MARTIN Jeanne", home.Text);
        Assert.Contains("Vous ne disposez d'aucun service.", home.Text);
    }

    [Fact]
    public async Task An_address_that_has_a_space_is_not_revealed_its_owner_is_told()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var sent = await user.SubmitAsync(await user.GetAsync("/creation"), "#form-creation", Form(Users.Lila.Email.ToUpperInvariant()));

        Assert.Contains("Un code d'activation a été envoyé à l'adresse électronique suivante", sent.Text);
        Assert.Equal(3, await app.DbAsync(db => db.Users.CountAsync()));
        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(string.Empty, Identifiers.ActivationCodeIn(mail.TextBody));
    }

    [Fact]
    public async Task Every_wrong_field_gets_its_message_and_nothing_is_stored()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var form = Form(confirm: "autre@espacepro.test");
        form["Input.Civility"] = null;
        form["Input.LastName"] = "";
        form["Input.FirstName"] = "J3anne<script>";
        form["Contact.Phone"] = "12";
        form["Contact.PostalCode"] = "7500";
        form["Input.Password"] = "court";
        form["Input.Answer"] = "aaa";

        var page = await user.SubmitAsync(await user.GetAsync("/creation"), "#form-creation", form);

        Assert.Equal(["Indiquez votre civilité."], page.FieldErrors("input-civility"));
        Assert.Equal(["Saisissez votre nom."], page.FieldErrors("input-lastname"));
        Assert.NotEmpty(page.FieldErrors("input-firstname"));
        Assert.NotEmpty(page.FieldErrors("contact-phone"));
        Assert.Equal(["Le code postal comporte 5 chiffres."], page.FieldErrors("contact-postalcode"));
        Assert.Equal(["Les deux adresses électroniques saisies ne sont pas identiques."], page.FieldErrors("input-confirmemail"));
        Assert.Contains("Le mot de passe doit comporter au moins 20 caractères.", page.FieldErrors("input-password"));
        Assert.NotEmpty(page.FieldErrors("input-answer"));
        Assert.Equal(Email, page.Document.QuerySelector("#input-email")!.GetAttribute("value"));
        Assert.Null(page.Document.QuerySelector("#input-password")!.GetAttribute("value"));
        Assert.Equal(3, await app.DbAsync(db => db.Users.CountAsync()));
        Assert.Empty(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task A_space_not_activated_within_the_code_lifetime_is_discarded()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.SubmitAsync(await user.GetAsync("/creation"), "#form-creation", Form());
        var housekeeping = app.Services.GetRequiredService<Housekeeping>();

        app.Time.Advance(TimeSpan.FromHours(47));
        Assert.Equal(0, await housekeeping.RunOnceAsync(TestContext.Current.CancellationToken));
        app.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await housekeeping.RunOnceAsync(TestContext.Current.CancellationToken));

        Assert.Equal(3, await app.DbAsync(db => db.Users.CountAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.PendingEmailChanges.CountAsync()));
    }
}
