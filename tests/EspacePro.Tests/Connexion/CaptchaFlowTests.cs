using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace EspacePro.Tests.Connexion;

public sealed class CaptchaFlowTests
{
    private static readonly Dictionary<string, string?> CaptchaOn = new() { ["Captcha:Enabled"] = "true" };

    private static async Task<string> AnswerAsync(TestApp app, Page page)
    {
        var id = page.Document.QuerySelector("input[name='Captcha.Id']")!.GetAttribute("value")!;
        return await app.DbAsync(db => db.Captchas.Where(c => c.Id == id).Select(c => c.Answer).SingleAsync());
    }

    private static Dictionary<string, string?> Credentials(string? captcha) => new()
    {
        ["Input.Email"] = Users.Lila.Email,
        ["Input.Password"] = Users.Lila.Password,
        ["Captcha.Answer"] = captcha,
    };

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_right_captcha_opens_the_space_and_its_answer_is_not_in_the_page(string provider)
    {
        await using var app = new TestApp(provider, CaptchaOn);
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        var answer = await AnswerAsync(app, page);

        Assert.DoesNotContain(answer, page.Document.DocumentElement.OuterHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(page.Response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.Contains(answer, StringComparison.OrdinalIgnoreCase));

        var home = await user.SubmitAsync(page, "#form-connexion", Credentials(answer.ToLowerInvariant()));
        Assert.Equal("/", home.Url.AbsolutePath);
    }

    [Fact]
    public async Task A_missing_or_wrong_captcha_is_refused_next_to_the_field()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();

        var page = await user.GetAsync("/connexion");
        var missing = await user.SubmitAsync(page, "#form-connexion", Credentials(""));
        Assert.Equal(["Recopiez les 6 caractères de l'image."], missing.FieldErrors("captcha-answer"));

        var wrong = await user.SubmitAsync(missing, "#form-connexion", Credentials("ZZZZZZ"));
        Assert.Equal(["Les caractères saisis ne correspondent pas à l'image. Recopiez ceux de la nouvelle image."], wrong.FieldErrors("captcha-answer"));
        Assert.Equal(0, await app.DbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task A_captcha_is_single_use()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        var answer = await AnswerAsync(app, page);

        var first = await user.SubmitAsync(page, "#form-connexion", new Dictionary<string, string?>
        {
            ["Input.Email"] = Users.Lila.Email, ["Input.Password"] = "Pas-le-bon-mot-de-passe-du-tout", ["Captcha.Answer"] = answer,
        });
        Assert.Empty(first.FieldErrors("captcha-answer"));

        // Replaying the same captcha id and answer with the right password fails.
        var replay = await user.SubmitAsync(page, "#form-connexion", Credentials(answer));
        Assert.Equal("/connexion", replay.Url.AbsolutePath);
        Assert.NotEmpty(replay.FieldErrors("captcha-answer"));
    }

    [Fact]
    public async Task A_captcha_expires_after_five_minutes()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        var answer = await AnswerAsync(app, page);

        app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var late = await user.SubmitAsync(page, "#form-connexion", Credentials(answer));

        Assert.NotEmpty(late.FieldErrors("captcha-answer"));
    }

    [Fact]
    public async Task A_captcha_only_opens_the_form_it_was_issued_for()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        await app.DbAsync(db => db.Captchas.ExecuteUpdateAsync(s => s.SetProperty(c => c.Purpose, "activation")));
        var answer = await AnswerAsync(app, page);

        var result = await user.SubmitAsync(page, "#form-connexion", Credentials(answer));

        Assert.NotEmpty(result.FieldErrors("captcha-answer"));
    }

    [Fact]
    public async Task The_image_and_the_sound_are_served_for_a_live_captcha_only()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        var image = page.Document.QuerySelector("[data-captcha-image]")!.GetAttribute("src")!;
        var audio = page.Document.QuerySelector("[data-captcha-audio]")!.GetAttribute("href")!;

        var png = await user.Client.GetAsync(image);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", png.Headers.CacheControl!.ToString());
        using (var bitmap = SKBitmap.Decode(await png.Content.ReadAsByteArrayAsync()))
        {
            Assert.NotNull(bitmap);
        }
        var wav = await user.Client.GetAsync(audio);
        Assert.Equal("audio/wav", wav.Content.Headers.ContentType!.MediaType);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString((await wav.Content.ReadAsByteArrayAsync())[..4]));

        app.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.NotFound, (await user.Client.GetAsync(image)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Every_fetch_of_one_captcha_on_any_node_gives_the_same_image_and_sound(string provider)
    {
        // Renders that changed at every fetch could be averaged into a clean one.
        await using var first = new TestApp(provider, CaptchaOn);
        using var user = first.NewUser();
        var page = await user.GetAsync("/connexion");
        var image = page.Document.QuerySelector("[data-captcha-image]")!.GetAttribute("src")!;
        var audio = page.Document.QuerySelector("[data-captcha-audio]")!.GetAttribute("href")!;
        await using var second = new TestApp(provider, new Dictionary<string, string?>(CaptchaOn)
        {
            ["ConnectionStrings:EspacePro"] = first.ConnectionString,
            ["DemoData:Enabled"] = "false",
        });
        using var elsewhere = second.NewUser();

        foreach (var url in new[] { image, audio })
        {
            var bytes = await user.Client.GetByteArrayAsync(url);
            Assert.Equal(bytes, await user.Client.GetByteArrayAsync(url));
            Assert.Equal(bytes, await elsewhere.Client.GetByteArrayAsync(url));
        }

        // Another captcha, even with the same characters, is drawn and spoken otherwise.
        var other = await user.GetAsync("/connexion");
        var otherId = other.Document.QuerySelector("input[name='Captcha.Id']")!.GetAttribute("value")!;
        var answer = await AnswerAsync(first, page);
        await first.DbAsync(db => db.Captchas.Where(c => c.Id == otherId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Answer, answer)));
        Assert.NotEqual(await user.Client.GetByteArrayAsync(image), await user.Client.GetByteArrayAsync($"/captcha/{otherId}/image"));
        Assert.NotEqual(await user.Client.GetByteArrayAsync(audio), await user.Client.GetByteArrayAsync($"/captcha/{otherId}/audio"));
    }

    [Fact]
    public async Task Changer_l_image_voids_the_old_captcha_and_shows_a_new_one()
    {
        await using var app = new TestApp(settings: CaptchaOn);
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        var oldId = page.Document.QuerySelector("input[name='Captcha.Id']")!.GetAttribute("value");

        var refreshed = await user.SubmitAsync(page, "#form-nouvelle-image", new Dictionary<string, string?>());

        var newId = refreshed.Document.QuerySelector("input[name='Captcha.Id']")!.GetAttribute("value");
        Assert.NotEqual(oldId, newId);
        Assert.False(await app.DbAsync(db => db.Captchas.AnyAsync(c => c.Id == oldId)));
    }
}
