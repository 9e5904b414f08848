using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.MotDePasseOublie;

/// <summary>
/// The attack: someone who got hold of a reset link (or of the mailbox it went to) keeps it and
/// uses it after the holder changed the password or the login address. The change must kill it.
/// </summary>
public sealed class ResetLinkVoidingTests
{
    private const string Expired = "Ce lien n'est plus valable";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_password_change_on_the_identifiers_page_voids_an_earlier_reset_link(string provider)
    {
        await using var app = new TestApp(provider);
        using var attacker = app.NewUser();
        var link = await app.ResetLinkAsync(attacker, Users.Lila.Email);

        using var owner = app.NewUser();
        await owner.LoginAsync(Users.Lila);
        var saved = await owner.SubmitIdentifiersAsync(await owner.OpenAsync(), newPassword: Identifiers.NewPassword);
        Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath, StringComparison.Ordinal);

        Assert.Contains(Expired, (await attacker.OpenLinkAsync(link)).Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_expired_password_change_voids_an_earlier_reset_link(string provider)
    {
        await using var app = new TestApp(provider);
        await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordValidUntil, new DateOnly(2026, 2, 22))));
        using var attacker = app.NewUser();
        var link = await app.ResetLinkAsync(attacker, Users.Lila.Email);

        using var owner = app.NewUser();
        var forced = await owner.LoginAsync(Users.Lila);
        var home = await owner.SubmitAsync(forced, "#form-mot-de-passe-expire", new Dictionary<string, string?>
        {
            ["NewPassword"] = Identifiers.NewPassword,
            ["ConfirmPassword"] = Identifiers.NewPassword,
        });
        Assert.Equal("/", home.Url.AbsolutePath);

        Assert.Contains(Expired, (await attacker.OpenLinkAsync(link)).Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Activating_a_new_login_e_mail_voids_an_earlier_reset_link(string provider)
    {
        const string newEmail = "lila.nouvelle@espacepro.test";
        await using var app = new TestApp(provider);
        using var attacker = app.NewUser();
        var link = await app.ResetLinkAsync(attacker, Users.Lila.Email);

        using var owner = app.NewUser();
        await owner.LoginAsync(Users.Lila);
        var code = await app.RequestEmailChangeAsync(owner, newEmail);
        await owner.SubmitAsync(await owner.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());
        var step2 = await owner.SubmitAsync(await owner.GetAsync("/activation"), "#form-code", new Dictionary<string, string?> { ["Code"] = code });
        var step3 = await owner.SubmitAsync(step2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = newEmail });
        Assert.Equal("/activation/recapitulatif", step3.Url.AbsolutePath);

        Assert.Contains(Expired, (await attacker.OpenLinkAsync(link)).Text);
    }
}
