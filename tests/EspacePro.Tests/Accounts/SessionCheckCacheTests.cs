using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EspacePro.Tests.Accounts;

public sealed class SessionCheckCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 23, 13, 52, 0, TimeSpan.Zero));

    private SessionCheckCache Cache(TimeSpan? lifetime = null) =>
        new(_time, Options.Create(lifetime is { } value ? new SessionCheckOptions { SessionCheckCache = value } : new SessionCheckOptions()));

    private SessionCheckCache.Entry Entry(Guid accountId) =>
        new(accountId, "stamp", _time.GetUtcNow(), _time.GetUtcNow(), null, new DateOnly(2029, 2, 22), _time.GetUtcNow());

    [Fact]
    public void An_entry_lives_five_seconds_by_default()
    {
        var cache = Cache();
        var session = Guid.NewGuid();
        cache.Set(session, Entry(Guid.NewGuid()));

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(cache.TryGet(session, out _));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(cache.TryGet(session, out _));
    }

    [Fact]
    public void Zero_turns_the_cache_off()
    {
        var cache = Cache(TimeSpan.Zero);
        var session = Guid.NewGuid();
        cache.Set(session, Entry(Guid.NewGuid()));
        var space = Guid.NewGuid();
        cache.SetAccount(new Account { Id = space, SecurityStamp = "stamp" }, _time.GetUtcNow());

        Assert.False(cache.TryGet(session, out _));
        Assert.False(cache.TryGetAccount(space, "stamp", out _));
    }

    [Fact]
    public void Forgetting_a_space_forgets_its_sessions_and_its_page_data_only()
    {
        var cache = Cache();
        var lila = Guid.NewGuid();
        var paul = Guid.NewGuid();
        var lilaSession = Guid.NewGuid();
        var paulSession = Guid.NewGuid();
        cache.Set(lilaSession, Entry(lila));
        cache.Set(paulSession, Entry(paul));
        cache.SetAccount(new Account { Id = lila, SecurityStamp = "stamp" }, _time.GetUtcNow());

        cache.ForgetAccount(lila);

        Assert.False(cache.TryGet(lilaSession, out _));
        Assert.False(cache.TryGetAccount(lila, "stamp", out _));
        Assert.True(cache.TryGet(paulSession, out _));
    }

    [Fact]
    public void A_space_is_served_only_to_a_cookie_with_the_same_security_stamp()
    {
        var cache = Cache();
        var id = Guid.NewGuid();
        cache.SetAccount(new Account { Id = id, SecurityStamp = "old" }, _time.GetUtcNow());

        Assert.True(cache.TryGetAccount(id, "old", out var space));
        Assert.Equal(id, space.Id);
        Assert.False(cache.TryGetAccount(id, "new", out _));
    }
}
