using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.MotDePasseOublie;

[Collection(TimingCollection.Name)]
public sealed class ResetRequestTimingTests
{
    /// <summary>
    /// The attack: ask for a reset link for an address and time the answer. A known address
    /// and an unknown one must run the same reads, token work and save.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_known_address_answers_as_fast_as_an_unknown_one(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        var form = await user.GetAsync("/mot-de-passe-oublie");

        var knownTries = 0;
        async Task RequestFor(string email)
        {
            knownTries += email == Users.Lila.Email ? 1 : 0;
            var sent = await user.SubmitAsync(form, ForgottenPassword.RequestForm,
                new Dictionary<string, string?> { ["Input.Email"] = email }, follow: false);
            Assert.EndsWith("/demande-envoyee", sent.Response.Headers.Location?.OriginalString, StringComparison.OrdinalIgnoreCase);
            // Under the 5-links-an-hour cap, so that every known try mails a link.
            app.Time.Advance(TimeSpan.FromMinutes(15));
        }

        await PathTiming.AssertSameSpeedAsync(
            _ => RequestFor(Users.Lila.Email),
            _ => RequestFor("inconnu@espacepro.test"));
        // Every known try mailed a link: the cap did not turn the known path into the short one.
        Assert.Equal(knownTries, (await app.DeliverMailAsync()).Count);
    }
}
