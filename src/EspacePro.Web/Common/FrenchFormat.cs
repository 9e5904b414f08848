using System.Globalization;

namespace EspacePro.Web.Common;

/// <summary>Dates as the sheet writes them, always in Europe/Paris time.</summary>
public static class FrenchFormat
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("fr-FR");
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateTimeOffset ToParis(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris);

    public static DateOnly ParisDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToParis(instant).DateTime);

    /// <summary>"18/11/2025"</summary>
    public static string ShortDate(DateOnly date) => date.ToString("dd/MM/yyyy", Culture);

    /// <summary>"22 février 2029" ("1er" for the first day of a month, as French usage wants).</summary>
    public static string LongDate(DateOnly date) =>
        (date.Day == 1 ? "1er" : date.Day.ToString(Culture)) + " " + date.ToString("MMMM yyyy", Culture);

    public static string LongDate(DateTimeOffset instant) => LongDate(ParisDate(instant));

    /// <summary>"23/02/2026 à 16h05" for e-mails and notices.</summary>
    public static string DateAndTime(DateTimeOffset instant)
    {
        var paris = ToParis(instant);
        return paris.ToString("dd/MM/yyyy", Culture) + " à " + paris.ToString("HH'h'mm", Culture);
    }
}
