using System.Net;
using EspacePro.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Security;

/// <summary>The data-protection keys are encrypted in the database with a certificate kept outside it.</summary>
public sealed class KeyProtectionTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_stored_keys_hold_no_key_material_in_clear(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var stored = await app.DbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());

        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            // In clear the key is <masterKey ...><value>base64</value></masterKey>.
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// The attack: someone who reads the database (or a backup) starts a node of their own on it.
    /// Without the certificate it cannot decrypt the keys, so it can neither read nor forge the
    /// login cookie. A node with the certificate reads it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_node_without_the_certificate_cannot_read_the_login_cookie(string provider)
    {
        await using var node = new TestApp(provider);
        var cookie = await LoginCookieAsync(node);

        await using var sameCertificate = new TestApp(provider, SharingDatabase(node, KeyCertificates.First));
        Assert.Equal(HttpStatusCode.OK, (await GetHomeAsync(sameCertificate, cookie)).StatusCode);

        await using var otherCertificate = new TestApp(provider, SharingDatabase(node, KeyCertificates.Second));
        var refused = await GetHomeAsync(otherCertificate, cookie);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/connexion", new Uri(new Uri("https://localhost"), refused.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task After_a_rotation_the_old_certificate_still_reads_the_keys_it_encrypted()
    {
        await using var node = new TestApp();
        var cookie = await LoginCookieAsync(node);

        var rotated = SharingDatabase(node, KeyCertificates.Second);
        rotated["DataProtection:UnprotectWithCertificates:0:Path"] = KeyCertificates.First.Path;
        rotated["DataProtection:UnprotectWithCertificates:0:Password"] = KeyCertificates.First.Password;
        await using var next = new TestApp(settings: rotated);

        Assert.Equal(HttpStatusCode.OK, (await GetHomeAsync(next, cookie)).StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task Outside_Development_the_app_refuses_to_start_without_the_certificate(string environment)
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = null }, environment: environment);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("DataProtection:CertificatePath is required outside Development", error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_wrong_certificate_password_stops_the_app_naming_the_setting()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["DataProtection:CertificatePassword"] = "pas-le-bon" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("DataProtection:CertificatePassword", error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private static Dictionary<string, string?> SharingDatabase(TestApp node, KeyCertificates.CertificateFile certificate) => new()
    {
        ["ConnectionStrings:EspacePro"] = node.ConnectionString,
        ["DataProtection:CertificatePath"] = certificate.Path,
        ["DataProtection:CertificatePassword"] = certificate.Password,
    };

    private static async Task<string> LoginCookieAsync(TestApp app)
    {
        using var user = app.NewUser();
        var page = await user.GetAsync("/connexion");
        var response = await user.SubmitAsync(page, "#form-connexion", new Dictionary<string, string?>
        {
            ["Input.Email"] = Users.Lila.Email,
            ["Input.Password"] = Users.Lila.Password,
        }, follow: false);
        var setCookie = response.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-EspacePro=", StringComparison.Ordinal));
        return setCookie.Split(';')[0];
    }

    private static async Task<HttpResponseMessage> GetHomeAsync(TestApp app, string cookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}
