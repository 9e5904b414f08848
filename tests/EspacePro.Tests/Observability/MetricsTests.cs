using System.Globalization;
using System.Net;
using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Observability;

/// <summary>
/// Read alone, like the gauges below: a meter's instruments are seen by every listener in the
/// process, so another test's app running at the same time could answer for this one's counters.
/// </summary>
[Collection(ProcessWideMetersCollection.Name)]
public sealed class MetricsTests
{
    private const string Wrong = "Pas-le-bon-mot-de-passe-du-tout";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_counters_move_with_logins_and_an_e_mail_change(string provider)
    {
        await using var app = new TestApp(provider);
        using var user = app.NewUser();
        var before = await ScrapeAsync(app);

        await user.LoginAsync(Users.Lila.Email, Wrong);
        await user.LoginAsync(Users.Lila);
        await app.RequestEmailChangeAsync(user, "lila.nouvelle@espacepro.test");

        var after = await ScrapeAsync(app);
        Assert.True(Sum(after, "espacepro_logins_total", "outcome=\"wrong\"") >= Sum(before, "espacepro_logins_total", "outcome=\"wrong\"") + 1);
        Assert.True(Sum(after, "espacepro_logins_total", "outcome=\"success\"") >= Sum(before, "espacepro_logins_total", "outcome=\"success\"") + 1);
        Assert.True(Sum(after, "espacepro_activation_codes_sent_total") >= Sum(before, "espacepro_activation_codes_sent_total") + 1);
        Assert.True(Sum(after, "espacepro_mails_sent_total", "kind=\"ActivationCode\"") >= 1);
        Assert.True(Sum(after, "espacepro_security_events_total", "type=\"email-change.requested\"") >= 1);
        Assert.True(Sum(after, "espacepro_password_hash_duration_seconds_count") >= Sum(before, "espacepro_password_hash_duration_seconds_count") + 2);
        Assert.Contains(after, l => l.StartsWith("espacepro_password_hash_queue", StringComparison.Ordinal));
        // ASP.NET Core's and the runtime's meters are there too.
        Assert.Contains(after, l => l.StartsWith("http_server_request_duration_seconds_bucket", StringComparison.Ordinal));
        Assert.Contains(after, l => l.StartsWith("dotnet_gc_collections", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_captcha_is_counted()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Captcha:Enabled"] = "true" });
        using var user = app.NewUser();
        var before = Sum(await ScrapeAsync(app), "espacepro_captcha_failures_total");

        await user.LoginAsync(Users.Lila.Email, Users.Lila.Password, captcha: "ZZZZZZ");

        Assert.True(Sum(await ScrapeAsync(app), "espacepro_captcha_failures_total") >= before + 1);
    }

    [Theory]
    [InlineData(null, "127.0.0.1", HttpStatusCode.OK)]
    [InlineData(null, "::1", HttpStatusCode.OK)]
    [InlineData(null, "203.0.113.9", HttpStatusCode.NotFound)]
    [InlineData("10.1.0.0/16,192.0.2.7", "10.1.2.3", HttpStatusCode.OK)]
    [InlineData("10.1.0.0/16,192.0.2.7", "192.0.2.7", HttpStatusCode.OK)]
    [InlineData("10.1.0.0/16,192.0.2.7", "127.0.0.1", HttpStatusCode.NotFound)]
    public async Task Metrics_are_served_only_to_the_allowed_networks(string? allowed, string client, HttpStatusCode expected)
    {
        var settings = new Dictionary<string, string?>();
        if (allowed is not null)
        {
            settings["Metrics:AllowedNetworks"] = allowed;
        }
        await using var app = new TestApp(settings: settings);
        using var scraper = app.NewUserFrom(() => IPAddress.Parse(client));

        var response = await scraper.Client.GetAsync("/metrics");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_forwarded_loopback_address_from_an_outsider_does_not_open_the_metrics()
    {
        await using var app = new TestApp();
        using var outsider = app.NewUserFrom(() => IPAddress.Parse("203.0.113.9"));
        outsider.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.0.1");

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_bad_allowed_network_stops_the_app_naming_the_key()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Metrics:AllowedNetworks"] = "127.0.0.1/8" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Metrics:AllowedNetworks", error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    public static async Task<IReadOnlyList<string>> ScrapeAsync(TestApp app)
    {
        using var scraper = app.NewUserFrom(() => IPAddress.Loopback);
        var response = await scraper.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync()).Split('\n').Where(l => !l.StartsWith('#')).ToList();
    }

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="label"/>.</summary>
    public static double Sum(IEnumerable<string> lines, string name, string label = "") =>
        lines.Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
                         && l.Contains(label, StringComparison.Ordinal))
            .Sum(Value);

    /// <summary>"name{labels} value [timestamp]" or "name value [timestamp]".</summary>
    private static double Value(string line)
    {
        var rest = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[line.IndexOf(' ', StringComparison.Ordinal)..];
        return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// The outbox gauges, read alone: a meter's instruments are seen by every listener in the
/// process, so another test's app running at the same time would report its own backlog under
/// the same name (in production one process is one app).
/// </summary>
[Collection(ProcessWideMetersCollection.Name)]
public sealed class OutboxGaugeTests
{
    [Fact]
    public async Task The_outbox_gauges_show_the_backlog_and_its_oldest_mail()
    {
        await using var app = new TestApp();
        using var user = app.NewUser();
        await user.LoginAsync(Users.Lila);
        var form = await user.OpenAsync();
        await user.SubmitIdentifiersAsync(form, newEmail: "lila.nouvelle@espacepro.test");
        app.Time.Advance(TimeSpan.FromSeconds(90));

        var waiting = await MetricsTests.ScrapeAsync(app);
        Assert.Equal(2, MetricsTests.Sum(waiting, "espacepro_outbox_backlog"));
        Assert.InRange(MetricsTests.Sum(waiting, "espacepro_outbox_oldest_age_seconds"), 90, 91);

        await app.DeliverMailAsync();
        app.Time.Advance(TimeSpan.FromSeconds(2));
        var drained = await MetricsTests.ScrapeAsync(app);
        Assert.Equal(0, MetricsTests.Sum(drained, "espacepro_outbox_backlog"));
        Assert.Equal(0, MetricsTests.Sum(drained, "espacepro_outbox_oldest_age_seconds"));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetersCollection
{
    public const string Name = "Process-wide meters";
}
