using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Connexion;

public sealed class RehashTests
{
    /// <summary>
    /// A hash made with weaker parameters than today's (an older release, a lower setting) is
    /// replaced with one at the current parameters the first time the password is proved.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_login_rehashes_a_password_stored_with_weaker_parameters(string provider)
    {
        await using var app = new TestApp(provider);
        var weak = new Argon2idPasswordHasher(8 * 1024, 1).Hash(Users.Lila.Password);
        await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordHash, weak)));
        using var user = app.NewUser();

        Assert.Equal("/", (await user.LoginAsync(Users.Lila)).Url.AbsolutePath);

        var stored = await app.DbAsync(db => db.Users.Where(a => a.Email == Users.Lila.Email).Select(a => a.PasswordHash).SingleAsync());
        Assert.StartsWith("$argon2id$v=19$m=8192,t=1,p=1$", weak, StringComparison.Ordinal);
        Assert.StartsWith($"$argon2id$v=19$m={Argon2idPasswordHasher.MemoryKiB},t={Argon2idPasswordHasher.Passes},p=1$", stored, StringComparison.Ordinal);
        // The new hash still opens the space.
        using var again = app.NewUser();
        Assert.Equal("/", (await again.LoginAsync(Users.Lila)).Url.AbsolutePath);
    }
}
