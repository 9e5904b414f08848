using System.Net;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Passwords;
using EspacePro.Web.Pages.Connexion;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Connexion;

public sealed class LoginTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Demo_user_logs_in_and_sees_their_home_page(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();

        var home = await user.LoginAsync(Users.Lila);

        Assert.Equal("/", home.Url.AbsolutePath);
        Assert.Contains("Mme ROSEMONDE Lila", home.Text);
        Assert.Contains("Abonné : 20101670101919", home.Text);
        Assert.Contains("SARL MARTIN DISTRIBUTION", home.Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Every_failure_gives_the_same_message_and_status(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();

        var unknown = await user.LoginAsync("personne@espacepro.test", "Un-mot-de-passe-assez-long-2026");
        var wrongPassword = await user.LoginAsync(Users.Lila.Email, "Un-mot-de-passe-assez-long-2026");
        var otherCase = await user.LoginAsync(Users.Lila.Email.ToUpperInvariant(), Users.Lila.Password.ToUpperInvariant());

        foreach (var page in new[] { unknown, wrongPassword, otherCase })
        {
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal("/connexion", page.Url.AbsolutePath);
            Assert.Equal([IndexModel.FailureMessage], page.SummaryErrors);
            Assert.Empty(page.FieldErrors("email"));
            Assert.Empty(page.FieldErrors("mot-de-passe"));
        }
    }

    [Fact]
    public async Task Login_e_mail_is_case_insensitive()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var home = await user.LoginAsync("  " + Users.Lila.Email.ToUpperInvariant(), Users.Lila.Password);

        Assert.Equal("/", home.Url.AbsolutePath);
    }

    [Fact]
    public async Task Empty_and_malformed_fields_get_messages_next_to_them_and_keep_the_e_mail()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var empty = await user.LoginAsync("", "");
        Assert.Equal(["Saisissez votre adresse électronique."], empty.FieldErrors("email"));
        Assert.Equal(["Saisissez votre mot de passe."], empty.FieldErrors("mot-de-passe"));

        var malformed = await user.LoginAsync("pas-une-adresse", "secret");
        Assert.Equal(["Saisissez une adresse électronique valide, au format adresse@domaine.fr."], malformed.FieldErrors("email"));
        Assert.Equal("pas-une-adresse", malformed.Document.QuerySelector("#email")!.GetAttribute("value"));
        Assert.Null(malformed.Document.QuerySelector("#mot-de-passe")!.GetAttribute("value"));
        Assert.StartsWith("Erreur : ", malformed.Document.Title);
    }

    [Fact]
    public async Task Ten_kilobyte_values_are_refused_without_a_server_error()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var huge = new string('a', 10_000);

        var page = await user.LoginAsync(huge + "@espacepro.test", huge);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["L'adresse électronique ne doit pas dépasser 100 caractères."], page.FieldErrors("email"));
        Assert.Equal(["Le mot de passe ne doit pas dépasser 128 caractères."], page.FieldErrors("mot-de-passe"));
        Assert.Equal(0, await app.DbAsync(db => db.AuditEvents.CountAsync()));
    }

    [Fact]
    public async Task The_password_length_limit_and_its_message_give_the_same_figure()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        var tooLong = PasswordMessages.TooLong(PasswordOptions.MaximumCodePoints);
        Assert.Equal("Le mot de passe ne doit pas dépasser 128 caractères.", tooLong);

        // One code point over the rules: refused with the rules' own figure.
        var over = await user.LoginAsync(Users.Lila.Email, new string('a', PasswordOptions.MaximumCodePoints + 1));
        Assert.Equal([tooLong], over.FieldErrors("mot-de-passe"));

        // At the limit, counted in code points as the rules count them (an emoji is one, though
        // two UTF-16 units): not a length error, only a wrong password.
        var atLimit = await user.LoginAsync(Users.Lila.Email, string.Concat(Enumerable.Repeat("🔑", PasswordOptions.MaximumCodePoints)));
        Assert.Empty(atLimit.FieldErrors("mot-de-passe"));
        Assert.Equal("/connexion", atLimit.Url.AbsolutePath);
    }

    [Fact]
    public async Task A_post_without_anti_forgery_token_is_refused_with_400()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.GetAsync("/connexion");

        var response = await user.Client.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = Users.Lila.Email,
            ["Input.Password"] = Users.Lila.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Contains("Requête refusée"), body[..Math.Min(body.Length, 3000)]);
        Assert.Equal(0, await app.DbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task A_json_body_is_refused_with_a_4xx()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var response = await user.Client.PostAsync("/connexion",
            new StringContent("{\"Input.Email\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        using var body = new StringContent(new string('x', 70 * 1024), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        // Browsers always announce a form's length; Kestrel also caps bodies that do not.
        body.Headers.ContentLength = 70 * 1024;
        var response = await user.Client.PostAsync("/connexion", body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.RequestEntityTooLarge, await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_get_the_french_404_page()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var page = await user.GetAsync("/nulle-part");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("Page non trouvée", page.Text);
    }

    [Fact]
    public async Task Pages_of_the_space_redirect_to_login_when_logged_out()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        foreach (var path in new[] { "/", "/gerer-mon-espace", "/dossiers" })
        {
            var response = await user.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/connexion", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task Login_returns_to_the_page_asked_for_but_never_off_site()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();

        var page = await user.GetAsync("/gerer-mon-espace");
        Assert.Equal("/connexion", page.Url.AbsolutePath);
        var back = await user.SubmitAsync(page, "#form-connexion", new Dictionary<string, string?>
        {
            ["Input.Email"] = Users.Lila.Email,
            ["Input.Password"] = Users.Lila.Password,
        });
        Assert.Equal("/gerer-mon-espace", back.Url.AbsolutePath);

        using var other = app.NewUser();
        var login = await other.GetAsync("/connexion?retour=https://evil.example/");
        var response = await other.SubmitAsync(login, "#form-connexion", new Dictionary<string, string?>
        {
            ["Input.Email"] = Users.Lila.Email,
            ["Input.Password"] = Users.Lila.Password,
        }, follow: false);
        Assert.Equal("/", response.Response.Headers.Location!.OriginalString);
    }
}
