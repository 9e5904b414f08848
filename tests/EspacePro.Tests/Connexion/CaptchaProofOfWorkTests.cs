using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Connexion;

/// <summary>
/// « Je ne peux ni lire ni écouter les caractères : vérification automatique »: the browser
/// proves some work instead of the person copying characters. These tests do what the
/// browser's worker does, then what an attacker would try instead.
/// </summary>
public sealed class CaptchaProofOfWorkTests
{
    private static readonly Dictionary<string, string?> CaptchaOn = new()
    {
        ["Captcha:Enabled"] = "true",
        // A small search keeps the tests fast; the protocol is the same.
        ["Captcha:ProofOfWorkMaxNumber"] = "2000",
    };

    private static string CaptchaId(Page page) =>
        page.Document.QuerySelector("input[name='Captcha.Id']")!.GetAttribute("value")!;

    /// <summary>Asks for a proof of work in place of the page's captcha, as site.js does.</summary>
    private static async Task<JsonObject> ChallengeAsync(UserAgent user, Page page, string purpose = "login")
    {
        var token = page.Document.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var response = await user.Client.PostAsync("/captcha/preuve-de-travail", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["purpose"] = purpose,
            ["previous"] = CaptchaId(page),
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>What the browser's worker does: try numbers until SHA-256(salt + number) is the challenge.</summary>
    private static long Solve(JsonObject challenge)
    {
        var salt = (string)challenge["salt"]!;
        var hash = (string)challenge["challenge"]!;
        var max = (int)challenge["maxnumber"]!;
        for (long n = 0; n <= max; n++)
        {
            if (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + n.ToString(CultureInfo.InvariantCulture)))) == hash)
            {
                return n;
            }
        }
        throw new InvalidOperationException("no number up to maxnumber solves the challenge");
    }

    private static string Payload(JsonObject challenge, long number, string? hash = null, string? salt = null, string? signature = null) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            algorithm = (string)challenge["algorithm"]!,
            challenge = hash ?? (string)challenge["challenge"]!,
            number,
            salt = salt ?? (string)challenge["salt"]!,
            signature = signature ?? (string)challenge["signature"]!,
            took = 12,
        }));

    private static Dictionary<string, string?> Login(JsonObject challenge, string payload) => new()
    {
        ["Input.Email"] = Users.Lila.Email,
        ["Input.Password"] = Users.Lila.Password,
        ["Captcha.Id"] = (string)challenge["id"]!,
        ["Captcha.Answer"] = "",
        ["Captcha.ProofOfWork"] = payload,
    };

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_solved_proof_of_work_logs_in_without_characters_and_only_once(string provider)
    {
        await using var app = new TestApp(provider, CaptchaOn);
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        var textCaptcha = CaptchaId(page);

        var challenge = await ChallengeAsync(user, page);
        // The characters the page showed are void: a form holds one live challenge.
        Assert.False(await app.DbAsync(db => db.Captchas.AnyAsync(c => c.Id == textCaptcha)));
        Assert.Equal("SHA-256", (string)challenge["algorithm"]!);
        Assert.Equal(2000, (int)challenge["maxnumber"]!);
        var payload = Payload(challenge, Solve(challenge));

        var home = await user.SubmitAsync(page, "#form-connexion", Login(challenge, payload));
        Assert.Equal("/", home.Url.AbsolutePath);

        // The same solution, replayed by another client, is refused: the challenge is spent.
        using var attacker = app.NewUser();
        var attackerPage = await attacker.GetAsync("/connexion");
        var replay = await attacker.SubmitAsync(attackerPage, "#form-connexion", Login(challenge, payload));
        Assert.Equal("/connexion", replay.Url.AbsolutePath);
        Assert.Equal(["La vérification automatique a expiré ou n'a pas abouti. Relancez-la, ou recopiez les caractères de la nouvelle image."],
            replay.FieldErrors("captcha-answer"));
        Assert.Equal(1, await app.DbAsync(db => db.Sessions.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_forged_wrong_or_expired_proof_of_work_is_refused(string provider)
    {
        await using var app = new TestApp(provider, CaptchaOn);
        var attempts = new (string Name, Func<JsonObject, long, string> Forge, TimeSpan Wait)[]
        {
            ("wrong number", (c, n) => Payload(c, n + 1), TimeSpan.Zero),
            // A number that is not the secret one (1 in maxnumber + 1 challenges has 0 for secret).
            ("no work, number 0", (c, n) => Payload(c, n == 0 ? 1 : 0, hash: Hash((string)c["salt"]!, n == 0 ? 1 : 0)), TimeSpan.Zero),
            ("own challenge, own signature", (c, _) => Payload(c, 0, hash: Hash((string)c["salt"]!, 0),
                signature: Convert.ToHexStringLower(HMACSHA256.HashData(new byte[32], Encoding.UTF8.GetBytes(Hash((string)c["salt"]!, 0))))), TimeSpan.Zero),
            ("bad signature", (c, n) => Payload(c, n, signature: Flip((string)c["signature"]!)), TimeSpan.Zero),
            ("later expiry in the salt", (c, n) => Payload(c, n, salt: (string)c["salt"]! + "0"), TimeSpan.Zero),
            ("expired", (c, n) => Payload(c, n), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)),
            ("not base64", (_, _) => "pas du base64 !", TimeSpan.Zero),
        };

        foreach (var (name, forge, wait) in attempts)
        {
            using var user = app.NewUser();
            var page = await user.GetAsync("/connexion");
            var challenge = await ChallengeAsync(user, page);
            var payload = forge(challenge, Solve(challenge));
            app.Time.Advance(wait);

            var result = await user.SubmitAsync(page, "#form-connexion", Login(challenge, payload));

            Assert.True(result.Url.AbsolutePath == "/connexion", name);
            Assert.True(result.FieldErrors("captcha-answer").Count == 1, name);
            Assert.False(await app.DbAsync(db => db.Captchas.AnyAsync(c => c.Id == (string)challenge["id"]!)), $"{name}: the challenge outlived its check");
        }
        Assert.Equal(0, await app.DbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task A_proof_of_work_answers_only_its_own_form_and_a_text_captcha_takes_no_proof()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();

        // Issued for the reset form, solved, posted to the login form.
        var page = await user.GetAsync("/connexion");
        var challenge = await ChallengeAsync(user, page, purpose: "reset");
        var wrongForm = await user.SubmitAsync(page, "#form-connexion", Login(challenge, Payload(challenge, Solve(challenge))));
        Assert.NotEmpty(wrongForm.FieldErrors("captcha-answer"));

        // A solution posted with the id of a text captcha checks nothing: the characters are asked.
        var other = await ChallengeAsync(user, wrongForm);
        var solution = Payload(other, Solve(other));
        var textPage = await user.GetAsync("/connexion");
        var textId = CaptchaId(textPage);
        var fields = Login(other, solution);
        fields["Captcha.Id"] = textId;
        var mixed = await user.SubmitAsync(textPage, "#form-connexion", fields);
        Assert.NotEmpty(mixed.FieldErrors("captcha-answer"));
        Assert.Equal(0, await app.DbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task The_proof_of_work_endpoint_refuses_a_request_without_the_anti_forgery_token()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();
        await user.GetAsync("/connexion");

        var response = await user.Client.PostAsync("/captcha/preuve-de-travail",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["purpose"] = "login" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.Captchas.CountAsync(c => c.Kind == EspacePro.Data.CaptchaKind.ProofOfWork)));
    }

    private static string Hash(string salt, long number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + number.ToString(CultureInfo.InvariantCulture))));

    private static string Flip(string hex) => (hex[0] == '0' ? '1' : '0') + hex[1..];
}
