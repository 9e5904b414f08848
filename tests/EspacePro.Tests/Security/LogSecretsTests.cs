using EspacePro.Tests.Infrastructure;
using EspacePro.Tests.MotDePasseOublie;

namespace EspacePro.Tests.Security;

public sealed class LogSecretsTests
{
    private const string NewEmail = "lila.journal@espacepro.test";
    private const string ResetPassword = "Mirabelle-Boussole-Granit-Violette";

    /// <summary>
    /// Every step that handles a secret, logged at Debug (the most a operator could turn on):
    /// no password, trust answer, activation code, link token or link may appear in any line.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_full_flow_logged_at_Debug_leaves_no_secret_in_the_log(string provider)
    {
        await using var app = new TestApp(provider, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
        });
        using var user = app.NewUser();
        var secrets = new List<string> { Users.Lila.Password, Identifiers.NewPassword, Users.Lila.TrustAnswer, ResetPassword };

        await user.LoginAsync(Users.Lila);
        var saved = await user.SubmitIdentifiersAsync(await user.OpenAsync(), newPassword: Identifiers.NewPassword);
        Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath, StringComparison.Ordinal);
        var code = await app.RequestEmailChangeAsync(user, NewEmail);
        secrets.Add(code);
        secrets.AddRange(app.Mail.Delivered.SelectMany(m => m.Links()).Where(l => l.AbsolutePath.StartsWith("/annulation/", StringComparison.Ordinal)).SelectMany(Secrets));

        await user.SubmitAsync(await user.GetAsync("/"), "form.logout-form", new Dictionary<string, string?>());
        var step2 = await user.SubmitAsync(await user.GetAsync("/activation"), "#form-code", new Dictionary<string, string?> { ["Code"] = code });
        var step3 = await user.SubmitAsync(step2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = NewEmail });
        Assert.Equal("/activation/recapitulatif", step3.Url.AbsolutePath);

        using var forgetful = app.NewUser();
        var link = await app.ResetLinkAsync(forgetful, NewEmail);
        secrets.AddRange(Secrets(link));
        var question = await forgetful.OpenLinkAsync(link);
        var form = await forgetful.AnswerAsync(question, Users.Lila.TrustAnswer);
        var done = await forgetful.ChoosePasswordAsync(form, ResetPassword);
        Assert.Contains("réinitialisé", done.Text);
        Assert.Equal("/", (await app.NewUser().LoginAsync(NewEmail, ResetPassword)).Url.AbsolutePath);

        var lines = app.Logs.Lines;
        Assert.True(lines.Count > 100, $"Only {lines.Count} log lines: the capture did not run at Debug.");
        Assert.Contains(lines, l => l.Contains("password-reset.completed", StringComparison.Ordinal));
        var leaks = secrets.Index()
            .SelectMany(s => lines.Where(l => l.Contains(s.Item, StringComparison.Ordinal))
                .Select(l => l.Replace(s.Item, "[SECRET]", StringComparison.Ordinal))
                .Select(l => $"secret #{s.Index}: {l[..Math.Min(400, l.Length)]}"))
            .ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(5)));
    }

    /// <summary>A link and its token: either may leak alone.</summary>
    private static IEnumerable<string> Secrets(Uri link) => [link.AbsoluteUri, link.AbsolutePath, link.Segments[^1]];
}
