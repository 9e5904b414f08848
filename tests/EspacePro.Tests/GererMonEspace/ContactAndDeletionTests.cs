using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace EspacePro.Tests.GererMonEspace;

public sealed class ContactAndDeletionTests
{
    [Fact]
    public async Task New_contact_details_are_saved_audited_and_on_the_recap()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var saved = await user.SubmitAsync(await user.GetAsync("/gerer-mon-espace/coordonnees"), "#form-coordonnees", new Dictionary<string, string?>
        {
            ["Input.Phone"] = "+33 6 12 34 56 78",
            ["Input.AddressLine"] = "12 boulevard Haussmann",
            ["Input.PostalCode"] = "75009",
            ["Input.City"] = "Paris",
        });

        Assert.Equal("/gerer-mon-espace", saved.Url.AbsolutePath);
        Assert.Contains("Vos coordonnées ont été enregistrées.", saved.Text);
        var pdf = await user.Client.GetByteArrayAsync("/gerer-mon-espace/recapitulatif", TestContext.Current.CancellationToken);
        using var document = PdfDocument.Open(pdf);
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        Assert.Contains("+33612345678", text);
        Assert.Contains("12 boulevard Haussmann", text);
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "contact-details.changed")));
    }

    [Fact]
    public async Task Wrong_contact_details_are_refused_next_to_their_fields()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.SubmitAsync(await user.GetAsync("/gerer-mon-espace/coordonnees"), "#form-coordonnees", new Dictionary<string, string?>
        {
            ["Input.Phone"] = "pas un numéro",
            ["Input.AddressLine"] = "ligne 1\r\nligne 2",
            ["Input.PostalCode"] = "",
            ["Input.City"] = new string('x', 101),
        });

        Assert.Equal(["Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89 ou +33 1 23 45 67 89."], page.FieldErrors("input-phone"));
        Assert.Equal(["Ce champ contient des caractères non autorisés."], page.FieldErrors("input-addressline"));
        Assert.Equal(["Saisissez votre code postal."], page.FieldErrors("input-postalcode"));
        Assert.Equal(["La commune ne doit pas dépasser 100 caractères."], page.FieldErrors("input-city"));
        Assert.Equal("0123456789", await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email).Select(a => a.Phone).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Deleting_the_space_erases_it_mails_a_notice_and_ends_the_session(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var id = await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email).Select(a => a.Id).SingleAsync());

        var form = await user.GetAsync("/gerer-mon-espace/suppression");
        var refused = await user.SubmitAsync(form, "#form-suppression", new Dictionary<string, string?> { ["CurrentPassword"] = Users.Lila.Password });
        Assert.Equal(["Cochez la case pour confirmer la suppression définitive de votre espace."], refused.FieldErrors("confirm"));
        var wrong = await user.SubmitAsync(form, "#form-suppression", new Dictionary<string, string?> { ["CurrentPassword"] = "Pas-le-bon-mot-de-passe", ["Confirm"] = "true" });
        Assert.Equal(["Le mot de passe saisi n'est pas votre mot de passe actuel."], wrong.FieldErrors("mot-de-passe-actuel"));

        var done = await user.SubmitAsync(form, "#form-suppression", new Dictionary<string, string?> { ["CurrentPassword"] = Users.Lila.Password, ["Confirm"] = "true" });

        Assert.Contains("Votre espace professionnel a été supprimé", done.Text);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(a => a.Id == id)));
        Assert.False(await app.DbAsync(db => db.Companies.AnyAsync(c => c.AccountId == id)));
        Assert.False(await app.DbAsync(db => db.Sessions.AnyAsync(s => s.AccountId == id)));
        Assert.Equal(0, await app.DbAsync(db => db.Services.CountAsync(s => db.Companies.Any(c => c.Id == s.CompanyFileId && c.AccountId == id))));
        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(Users.Lila.Email, mail.To);
        Assert.Equal(HttpStatusCode.Redirect, (await user.Client.GetAsync("/", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal("/connexion", (await user.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }
}
