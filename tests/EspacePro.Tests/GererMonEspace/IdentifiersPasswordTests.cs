using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.GererMonEspace;

public sealed class IdentifiersPasswordTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Changing_the_password_shows_its_validity_sends_a_mail_and_opens_the_space_with_it(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Identifiers.NewPassword);

        Assert.EndsWith("/gerer-mon-espace/identifiants/enregistrement", saved.Url.AbsolutePath);
        Assert.Contains("Enregistrement effectué.", saved.Text);
        Assert.Contains("Votre mot de passe a été réinitialisé avec succès.", saved.Text);
        Assert.Contains("Ce mot de passe est valable jusqu'au 22 février 2029.", saved.Text);
        Assert.Contains("Vous allez recevoir un courriel de confirmation.", saved.Text);

        var mail = Assert.Single(await app.DeliverMailAsync());
        Assert.Equal(Users.Lila.Email, mail.To);
        Assert.Equal("Espace professionnel - Modification du mot de passe", mail.Subject);
        Assert.Contains("22 février 2029", mail.TextBody);
        Assert.DoesNotContain(Identifiers.NewPassword, mail.TextBody);

        using var later = app.NewUser();
        Assert.Equal("/connexion", (await later.LoginAsync(Users.Lila)).Url.AbsolutePath);
        Assert.Equal("/", (await later.LoginAsync(Users.Lila.Email, Identifiers.NewPassword)).Url.AbsolutePath);
        Assert.True(await app.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Type == "password.changed")));
    }

    [Fact]
    public async Task A_password_change_closes_the_other_sessions_and_keeps_this_one()
    {
        await using var app = new TestApp();
        using var here = app.NewUser();
        using var elsewhere = app.NewUser();
        await here.LoginAsync(Users.Lila);
        await elsewhere.LoginAsync(Users.Lila);

        await here.SubmitIdentifiersAsync(await here.OpenAsync(), newPassword: Identifiers.NewPassword);

        Assert.Equal(HttpStatusCode.OK, (await here.Client.GetAsync("/")).StatusCode);
        var refused = await elsewhere.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/connexion", refused.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("", "", "Saisissez votre nouveau mot de passe.")]
    [InlineData("Hirondelle-Cactus-1", "Hirondelle-Cactus-1", "Le mot de passe doit comporter au moins 20 caractères.")]
    public async Task Each_wrong_password_gets_its_message_next_to_the_field_and_nothing_is_stored(string password, string confirm, string message)
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var before = await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email).Select(a => a.PasswordHash).SingleAsync());

        var page = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: password, confirmPassword: confirm, changePassword: true);

        Assert.Contains(message, page.FieldErrors("input-newpassword"));
        Assert.Equal(before, await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email).Select(a => a.PasswordHash).SingleAsync()));
        Assert.Empty(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task Confirmation_must_match_and_passwords_are_never_written_back()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var page = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Identifiers.NewPassword, confirmPassword: Identifiers.NewPassword + "x");

        Assert.Equal(["Les deux mots de passe saisis ne sont pas identiques."], page.FieldErrors("input-confirmpassword"));
        Assert.DoesNotContain(Identifiers.NewPassword, page.Document.DocumentElement.OuterHtml);
        Assert.NotNull(page.Document.QuerySelector("#niveau-securite"));
    }

    [Fact]
    public async Task Too_long_common_and_e_mail_passwords_are_refused_with_a_reason()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var tooLong = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: new string('k', 64) + "Hirondelle-Cactus-" + new string('z', 47));
        Assert.Contains("Le mot de passe ne doit pas dépasser 128 caractères.", tooLong.FieldErrors("input-newpassword"));

        var email = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Users.Lila.Email);
        Assert.NotEmpty(email.FieldErrors("input-newpassword"));

        var common = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: "azertyuiop1234567890");
        Assert.NotEmpty(common.FieldErrors("input-newpassword"));
    }

    [Fact]
    public async Task The_current_password_and_the_last_five_are_refused()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var same = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Users.Lila.Password);
        Assert.Equal(["Le nouveau mot de passe doit être différent de votre mot de passe actuel."], same.FieldErrors("input-newpassword"));

        string[] sequence = ["Hirondelle-Cactus-Lanterne-Une", "Hirondelle-Cactus-Lanterne-Deux", "Hirondelle-Cactus-Lanterne-Trois"];
        foreach (var password in sequence)
        {
            var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: password);
            Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
        }
        var reused = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Users.Lila.Password);
        Assert.Equal(["Vous avez déjà utilisé ce mot de passe : choisissez-en un différent de vos 5 derniers mots de passe."],
            reused.FieldErrors("input-newpassword"));
    }

    [Fact]
    public async Task An_old_login_must_confirm_the_current_password_and_wrong_ones_count_toward_the_throttle()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        app.Time.Advance(TimeSpan.FromMinutes(16));

        var form = await user.OpenAsync();
        Assert.Null(form.Document.QuerySelector(Identifiers.Form));
        Assert.Contains("Confirmez votre mot de passe", form.Text);

        var wrong = await user.SubmitAsync(form, "#form-confirmation", new Dictionary<string, string?> { ["Reauth.CurrentPassword"] = "Pas-le-bon-mot-de-passe-du-tout" });
        Assert.Equal(["Le mot de passe saisi n'est pas votre mot de passe actuel."], wrong.FieldErrors("mot-de-passe-actuel"));
        // This browser opened the space, so its wrong guesses count on its own device key.
        Assert.Equal(1, await app.DbAsync(db => db.LoginThrottles.Where(t => t.Key.StartsWith("d:")).Select(t => t.Failures).SingleAsync()));

        var right = await user.SubmitAsync(wrong, "#form-confirmation", new Dictionary<string, string?> { ["Reauth.CurrentPassword"] = Users.Lila.Password });
        Assert.NotNull(right.Document.QuerySelector(Identifiers.Form));
    }

    [Fact]
    public async Task A_form_left_open_past_the_window_is_not_saved()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var form = await user.OpenAsync();
        app.Time.Advance(TimeSpan.FromMinutes(16));

        var page = await user.SubmitIdentifiersAsync(form, newPassword: Identifiers.NewPassword);

        Assert.Contains("confirmez votre mot de passe actuel", page.Text);
        Assert.Empty(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task A_forged_post_without_token_is_refused_and_changes_nothing()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var response = await user.Client.PostAsync("/gerer-mon-espace/identifiants", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.ChangePassword"] = "true",
            ["Input.NewPassword"] = Identifiers.NewPassword,
            ["Input.ConfirmPassword"] = Identifiers.NewPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await app.DeliverMailAsync());
    }

    [Fact]
    public async Task The_saved_screen_is_shown_once_and_not_reachable_directly()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var direct = await user.GetAsync("/gerer-mon-espace/identifiants/enregistrement");

        Assert.Equal("/gerer-mon-espace/identifiants", direct.Url.AbsolutePath);
    }

    [Fact]
    public async Task The_strength_meter_answers_with_the_servers_judgement()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var form = await user.OpenAsync();
        var token = form.Document.QuerySelector("#form-identifiants input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/gerer-mon-espace/identifiants?handler=Strength")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = "azertyuiop1234567890" }),
        };
        request.Headers.Add("RequestVerificationToken", token);
        var weak = await (await user.Client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("\"level\"", weak);
        Assert.DoesNotContain("Strong", weak);
    }
}
