using System.Net;
using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.GererMonEspace;

public sealed class RecapDownloadTests
{
    /// <summary>The recap names the trust question: no cache may keep it, and it is saved, never shown inline.</summary>
    [Fact]
    public async Task The_recap_is_an_uncached_attachment()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);

        var response = await user.Client.GetAsync("/gerer-mon-espace/recapitulatif", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"recapitulatif-espace-professionnel-{Users.Lila.SubscriberNumber}.pdf", response.Content.Headers.ContentDisposition?.FileName);

        using var anonymous = app.NewUser();
        var refused = await anonymous.Client.GetAsync("/gerer-mon-espace/recapitulatif", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }
}
