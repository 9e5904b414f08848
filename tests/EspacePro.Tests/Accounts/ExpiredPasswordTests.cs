using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Accounts;

public sealed class ExpiredPasswordTests
{
    [Fact]
    public async Task An_expired_password_leads_only_to_a_forced_change_then_home()
    {
        await using var app = new TestApp();
        await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordValidUntil, new DateOnly(2026, 2, 22))));
        using var user = app.NewUser();

        var forced = await user.LoginAsync(Users.Lila);
        Assert.Equal("/mot-de-passe-expire", forced.Url.AbsolutePath);
        Assert.Contains("Votre mot de passe a expiré", forced.Text);
        var elsewhere = await user.Client.GetAsync("/gerer-mon-espace", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("/mot-de-passe-expire", elsewhere.Headers.Location!.OriginalString);

        var same = await user.SubmitAsync(forced, "#form-mot-de-passe-expire", new Dictionary<string, string?>
        {
            ["NewPassword"] = Users.Lila.Password,
            ["ConfirmPassword"] = Users.Lila.Password,
        });
        Assert.Equal(["Le nouveau mot de passe doit être différent de votre mot de passe actuel."], same.FieldErrors("nouveau-mot-de-passe"));

        var home = await user.SubmitAsync(same, "#form-mot-de-passe-expire", new Dictionary<string, string?>
        {
            ["NewPassword"] = Identifiers.NewPassword,
            ["ConfirmPassword"] = Identifiers.NewPassword,
        });
        Assert.Equal("/", home.Url.AbsolutePath);
        Assert.Contains("Ce mot de passe est valable jusqu'au 22 février 2029.", home.Text);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/gerer-mon-espace", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal("Espace professionnel - Modification du mot de passe", Assert.Single(await app.DeliverMailAsync()).Subject);
    }
}
