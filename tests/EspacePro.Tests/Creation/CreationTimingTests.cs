using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Creation;

[Collection(TimingCollection.Name)]
public sealed class CreationTimingTests
{
    private const string Password = "Coquelicot-Tambour-Aurore-Sel";

    /// <summary>
    /// The attack: post the creation form with an address and time the answer. Before, a taken
    /// address answered in a few milliseconds and a free one only after two Argon2id hashes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_taken_address_answers_as_fast_as_a_free_one(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        var form = await user.GetAsync("/creation");

        async Task CreateWith(string email)
        {
            var sent = await user.SubmitAsync(form, "#form-creation", Form(email), follow: false);
            Assert.Equal("/creation/courriel-envoye", sent.Response.Headers.Location?.OriginalString, ignoreCase: true);
        }

        await PathTiming.AssertSameSpeedAsync(
            _ => CreateWith(Users.Lila.Email),
            i => CreateWith($"libre.{i + 1}@espacepro.test"));
    }

    private static Dictionary<string, string?> Form(string email) => new()
    {
        ["Input.Civility"] = "Madame",
        ["Input.LastName"] = "Martin",
        ["Input.FirstName"] = "Jeanne",
        ["Contact.Phone"] = "01 23 45 67 89",
        ["Contact.AddressLine"] = "8 rue des Écoles",
        ["Contact.PostalCode"] = "75005",
        ["Contact.City"] = "Paris",
        ["Input.Email"] = email,
        ["Input.ConfirmEmail"] = email,
        ["Input.Password"] = Password,
        ["Input.ConfirmPassword"] = Password,
        ["Input.Question"] = "livre",
        ["Input.Answer"] = "Vingt mille lieues sous les mers",
    };
}
