using System.Security.Cryptography;
using EspacePro.Web.Common;

namespace EspacePro.Web.Accounts;

/// <summary>14 digits: the year of creation then 10 random digits (uniqueness is the database's index).</summary>
public static class SubscriberNumbers
{
    public static string New(DateTimeOffset createdAt) =>
        FrenchFormat.ToParis(createdAt).Year.ToString("D4", FrenchFormat.Culture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", FrenchFormat.Culture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", FrenchFormat.Culture);
}
