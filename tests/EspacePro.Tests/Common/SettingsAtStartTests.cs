using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Common;

/// <summary>Every setting is read through an options class checked at start: a bad value stops the app before it serves.</summary>
public sealed class SettingsAtStartTests
{
    [Theory]
    [InlineData("Password:HashConcurrency", "0")]
    [InlineData("Password:HashConcurrency", "257")]
    [InlineData("Password:HashNice", "20")]
    [InlineData("Password:HashNice", "-1")]
    [InlineData("Password:ReminderInterval", "00:00:00")]
    [InlineData("Password:MinimumLength", "129")]
    [InlineData("App:HousekeepingInterval", "00:00:00")]
    [InlineData("App:HousekeepingInterval", "2.00:00:00")]
    [InlineData("App:BehindProxy", "peut-être")]
    [InlineData("App:BackgroundHousekeeping", "peut-être")]
    [InlineData("Security:SessionCheckCache", "-00:00:01")]
    [InlineData("Security:SessionCheckCache", "00:01:01")]
    [InlineData("Database:MigrateOnStart", "peut-être")]
    [InlineData("DemoData:Enabled", "peut-être")]
    public async Task A_bad_value_stops_the_app_at_start_naming_its_key(string key, string value)
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { [key] = value });

        // Reading the services starts the host: the options are validated then, not at first use.
        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains(key, error.ToString());
    }
}
