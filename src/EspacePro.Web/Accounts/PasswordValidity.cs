using EspacePro.Web.Common;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The DGFiP's validity rule: the change date (Paris) plus the validity period, minus one day —
/// changed on 23 Feb 2026, valid until 22 Feb 2029. A 29 February change ends on the
/// anniversary month's last day minus one (DateOnly.AddMonths clamps to the month's end).
/// </summary>
public static class PasswordValidity
{
    public static DateOnly ValidUntil(DateTimeOffset changedAt, int validityMonths) =>
        FrenchFormat.ParisDate(changedAt).AddMonths(validityMonths).AddDays(-1);

    public static bool IsExpired(DateOnly validUntil, DateTimeOffset now) => FrenchFormat.ParisDate(now) > validUntil;

    public static int DaysLeft(DateOnly validUntil, DateTimeOffset now) =>
        validUntil.DayNumber - FrenchFormat.ParisDate(now).DayNumber;
}
