namespace EspacePro.Web.Recap;

/// <summary>
/// What the recap PDF shows. It deliberately has no password, trust answer or code, so the
/// renderer cannot leak one.
/// </summary>
public sealed record RecapData(
    string LastName,
    string FirstName,
    string SubscriberNumber,
    string Phone,
    string LoginEmail,
    string Address,
    string TrustQuestion,
    DateTimeOffset CreatedAt);
