using EspacePro.Web.Accounts;

namespace EspacePro.Tests.Accounts;

public sealed class PasswordValidityTests
{
    [Theory]
    [InlineData("2026-02-23T13:52:00Z", "2029-02-22")] // the sheet's example
    [InlineData("2024-02-29T10:00:00Z", "2027-02-27")] // leap day: anniversary clamps to 28 Feb
    [InlineData("2025-08-31T10:00:00Z", "2028-08-30")]
    [InlineData("2026-03-01T10:00:00Z", "2029-02-28")] // day before a non-leap 1 March
    [InlineData("2027-03-01T10:00:00Z", "2030-02-28")]
    [InlineData("2025-03-01T10:00:00Z", "2028-02-29")] // day before a leap-year 1 March
    [InlineData("2026-12-31T23:30:00Z", "2029-12-31")] // already 1 January in Paris
    public void Validity_is_change_date_plus_three_years_minus_one_day_in_paris(string changedAt, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            PasswordValidity.ValidUntil(DateTimeOffset.Parse(changedAt, System.Globalization.CultureInfo.InvariantCulture), 36));
    }

    [Fact]
    public void A_password_is_expired_the_day_after_its_last_valid_day()
    {
        var validUntil = new DateOnly(2029, 2, 22);
        Assert.False(PasswordValidity.IsExpired(validUntil, new DateTimeOffset(2029, 2, 22, 22, 30, 0, TimeSpan.Zero)));
        Assert.True(PasswordValidity.IsExpired(validUntil, new DateTimeOffset(2029, 2, 22, 23, 30, 0, TimeSpan.Zero)));
    }
}
