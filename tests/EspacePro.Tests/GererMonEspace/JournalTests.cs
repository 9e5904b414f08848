using System.Text.RegularExpressions;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Pages.GererMonEspace.Activite;

namespace EspacePro.Tests.GererMonEspace;

public sealed partial class JournalTests
{
    private static readonly DateTimeOffset Noon = new(2026, 7, 14, 10, 0, 0, TimeSpan.Zero);

    private static Journal.Row Row(long id, DateTimeOffset at, string type, string? address = null) =>
        new(id, at, type, address, "Firefox sous Windows", null);

    [Theory]
    [InlineData("192.168.1.27", "192.168.1.x")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.x")]
    [InlineData("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48")]
    [InlineData("::1", "::/48")]
    [InlineData("not an address", null)]
    [InlineData(null, null)]
    public void Addresses_are_cut_to_their_network(string? address, string? expected) =>
        Assert.Equal(expected, Journal.ShortAddress(address));

    [Fact]
    public void Refused_attempts_make_one_line_per_day_and_kind_at_the_place_of_the_latest()
    {
        // Newest first: Paris is UTC+2 in July, so 22:30 UTC is already the next day there.
        var rows = new[]
        {
            Row(9, Noon.AddHours(12.5), "login.failed", "198.51.100.4"),
            Row(8, Noon.AddHours(2), "login.succeeded"),
            Row(7, Noon.AddHours(1), "login.failed", "198.51.100.7"),
            Row(6, Noon.AddHours(1), "password-reset.answer-failed"),
            Row(5, Noon, "reauth.failed", "2001:db8:1:2::5"),
            Row(4, Noon.AddHours(-1), "login.throttled", "198.51.100.9"),
        };

        var page = Journal.Build(rows);

        Assert.Null(page.Next);
        Assert.Equal(
        [
            "1 tentative refusée (mot de passe incorrect ou trop de tentatives)",
            "Connexion à votre espace",
            "3 tentatives refusées (mot de passe incorrect ou trop de tentatives)",
            "1 réponse à la question de confiance refusée",
        ], page.Entries.Select(e => e.Label));
        Assert.Equal("198.51.100.x, 2001:db8:1::/48", page.Entries[2].Address);
        Assert.True(page.Entries[2].WholeDay);
        Assert.Null(page.Entries[2].Device);
    }

    [Fact]
    public void A_page_holds_twenty_entries_and_points_at_the_next_one()
    {
        var rows = Enumerable.Range(1, 30).Select(i => Row(100 - i, Noon.AddMinutes(-i), "recap.downloaded")).ToList();

        var page = Journal.Build(rows);

        Assert.Equal(Journal.PageSize, page.Entries.Count);
        Assert.Equal(new JournalCursor(rows[20].At, rows[20].Id), page.Next);
        Assert.True(JournalCursor.TryParse(page.Next!.ToString(), out var parsed));
        Assert.Equal(page.Next, parsed);
    }

    [Fact]
    public void Unlabelled_types_are_not_shown_and_details_never_are()
    {
        var rows = new[]
        {
            new Journal.Row(3, Noon, "password.changed", null, null, """{"reason":"expired"}"""),
            new Journal.Row(2, Noon, "some.future.type", null, null, """{"secret":"x"}"""),
            new Journal.Row(1, Noon, "trust-answer.changed", null, null, """{"question":"livre"}"""),
        };

        var page = Journal.Build(rows);

        Assert.Equal(["Modification de votre mot de passe arrivé à expiration", "Modification de votre question de confiance ou de sa réponse"], page.Entries.Select(e => e.Label));
    }

    /// <summary>
    /// Every event type the application records for a space is either in the journal or left out
    /// on purpose: a new type added without a label would otherwise vanish from the page.
    /// </summary>
    [Fact]
    public void Every_recorded_event_type_is_known_to_the_journal()
    {
        // Recorded without a space (nothing to show), or not about the space's security.
        string[] leftOut = ["password-reset.unknown", "space-creation.refused-taken", "activation.failed", "space.deleted"];
        var recorded = Directory.EnumerateFiles(RepoPaths.WebProject, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Where(line => line.Contains("Record(", StringComparison.Ordinal) || line.Contains("RecordNowAsync(", StringComparison.Ordinal)))
            .SelectMany(line => EventType().Matches(line).Select(m => m.Groups[1].Value))
            .ToHashSet();

        Assert.Contains("login.succeeded", recorded);
        Assert.Empty(recorded.Except(Journal.KnownTypes).Except(leftOut));
    }

    [GeneratedRegex("\"([a-z-]+(?:\\.[a-z-]+)+)\"")]
    private static partial Regex EventType();
}
