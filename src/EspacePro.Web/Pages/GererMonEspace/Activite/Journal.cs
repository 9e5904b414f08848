using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EspacePro.Data;
using EspacePro.Web.Common;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.GererMonEspace.Activite;

/// <summary>One line of the journal as the page shows it.</summary>
/// <param name="WholeDay">A day's refused attempts gathered in one line: the date has no time.</param>
public sealed record JournalEntry(DateTimeOffset At, bool WholeDay, string Label, string? Device, string? Address);

/// <summary>Where a journal page starts: the newest event it may show (inclusive), as ticks and id in the URL.</summary>
public sealed record JournalCursor(DateTimeOffset At, long Id)
{
    public override string ToString() => $"{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}-{Id.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, out JournalCursor? cursor)
    {
        cursor = null;
        var parts = text?.Split('-');
        if (parts is not { Length: 2 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        cursor = new JournalCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}

/// <summary>
/// « Activité de mon espace »: the space's security events of the last 12 months, newest
/// first. A page is ONE read of the audit table through its (AccountId, At) index, bounded by
/// <see cref="ReadLimit"/> rows whatever the table's size or the space's history: refused
/// attempts are gathered per day, and a flood of them (an attacker can cause as many as the
/// throttle lets through) cannot make a page read more. When a page stops at that bound, the
/// rest of that day's attempts continue on the next page. Nothing of an event's details is
/// shown as stored: each known type has its French label, the address is cut to its network
/// (a /24 in IPv4, a /48 in IPv6), and types without a label are not shown.
/// </summary>
public static class Journal
{
    public const int PageSize = 20;
    public const int ReadLimit = 200;
    public static readonly TimeSpan Period = TimeSpan.FromDays(365);

    /// <summary>What one query returns per event.</summary>
    public sealed record Row(long Id, DateTimeOffset At, string Type, string? ClientAddress, string? Device, string? Details);

    public sealed record Page(IReadOnlyList<JournalEntry> Entries, JournalCursor? Next);

    /// <summary>The one query of a page: an index range scan of the space's rows, newest first.</summary>
    public static async Task<Page> ReadAsync(EspaceProDbContext db, Guid accountId, DateTimeOffset now, JournalCursor? from, CancellationToken cancellationToken)
    {
        var since = now - Period;
        var query = db.AuditEvents.AsNoTracking().Where(e => e.AccountId == accountId && e.At >= since);
        if (from is not null)
        {
            query = query.Where(e => e.At < from.At || (e.At == from.At && e.Id <= from.Id));
        }
        var rows = await query
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(ReadLimit + 1)
            .Select(e => new Row(e.Id, e.At, e.Type, e.ClientAddress, e.Device, e.Details))
            .ToListAsync(cancellationToken);
        return Build(rows);
    }

    /// <summary>Turns rows (newest first, at most <see cref="ReadLimit"/> + 1) into a page's entries.</summary>
    public static Page Build(IReadOnlyList<Row> rows)
    {
        var entries = new List<JournalEntry>();
        // Each open group: its index in entries, its count and its addresses.
        var groups = new Dictionary<(RefusalKind Kind, DateOnly Day), (int Index, int Count, SortedSet<string> Addresses)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (i == ReadLimit)
            {
                return Finish(entries, groups, new JournalCursor(row.At, row.Id));
            }
            if (Refusals.TryGetValue(row.Type, out var kind))
            {
                var key = (kind, FrenchFormat.ParisDate(row.At));
                if (groups.TryGetValue(key, out var group))
                {
                    group.Count++;
                    AddAddress(group.Addresses, row.ClientAddress);
                    groups[key] = group;
                    continue;
                }
                if (entries.Count == PageSize)
                {
                    return Finish(entries, groups, new JournalCursor(row.At, row.Id));
                }
                var addresses = new SortedSet<string>(StringComparer.Ordinal);
                AddAddress(addresses, row.ClientAddress);
                groups[key] = (entries.Count, 1, addresses);
                entries.Add(new JournalEntry(row.At, WholeDay: true, "", null, null));
                continue;
            }
            if (Label(row) is not { } label)
            {
                continue;
            }
            if (entries.Count == PageSize)
            {
                return Finish(entries, groups, new JournalCursor(row.At, row.Id));
            }
            entries.Add(new JournalEntry(row.At, WholeDay: false, label, row.Device, ShortAddress(row.ClientAddress)));
        }
        return Finish(entries, groups, null);
    }

    private static Page Finish(List<JournalEntry> entries, Dictionary<(RefusalKind Kind, DateOnly Day), (int Index, int Count, SortedSet<string> Addresses)> groups, JournalCursor? next)
    {
        foreach (var ((kind, _), (index, count, addresses)) in groups)
        {
            var address = addresses.Count switch
            {
                0 => null,
                <= MaxAddressesShown => string.Join(", ", addresses),
                _ => string.Join(", ", addresses.Take(MaxAddressesShown)) + $" et {addresses.Count - MaxAddressesShown} autres",
            };
            entries[index] = entries[index] with { Label = RefusalLabel(kind, count), Address = address };
        }
        return new Page(entries, next);
    }

    private const int MaxAddressesShown = 3;

    private static void AddAddress(SortedSet<string> addresses, string? address)
    {
        if (ShortAddress(address) is { } shortened)
        {
            addresses.Add(shortened);
        }
    }

    /// <summary>What an attempt was refused for; a day's attempts of one kind make one line.</summary>
    private enum RefusalKind { Password, Code, TrustAnswer, ResetRequest }

    private static readonly Dictionary<string, RefusalKind> Refusals = new(StringComparer.Ordinal)
    {
        ["login.failed"] = RefusalKind.Password,
        ["login.throttled"] = RefusalKind.Password,
        ["reauth.failed"] = RefusalKind.Password,
        ["reauth.throttled"] = RefusalKind.Password,
        ["space-deletion.refused"] = RefusalKind.Password,
        ["login.code.failed"] = RefusalKind.Code,
        ["activation.stale"] = RefusalKind.Code,
        ["password-reset.answer-failed"] = RefusalKind.TrustAnswer,
        ["password-reset.answer-throttled"] = RefusalKind.TrustAnswer,
        ["password-reset.rate-limited"] = RefusalKind.ResetRequest,
    };

    private static string RefusalLabel(RefusalKind kind, int count)
    {
        var one = count == 1;
        return kind switch
        {
            RefusalKind.Password => one ? "1 tentative refusée (mot de passe incorrect ou trop de tentatives)"
                : $"{count} tentatives refusées (mot de passe incorrect ou trop de tentatives)",
            RefusalKind.Code => one ? "1 code de sécurité refusé" : $"{count} codes de sécurité refusés",
            RefusalKind.TrustAnswer => one ? "1 réponse à la question de confiance refusée"
                : $"{count} réponses à la question de confiance refusées",
            RefusalKind.ResetRequest => one ? "1 demande de réinitialisation du mot de passe refusée (trop de demandes)"
                : $"{count} demandes de réinitialisation du mot de passe refusées (trop de demandes)",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The types of events the journal shows one by one, with their label.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["login.succeeded"] = "Connexion à votre espace",
        ["logout"] = "Déconnexion",
        ["reauth.succeeded"] = "Confirmation de votre mot de passe avant une modification",
        ["password.changed"] = "Modification de votre mot de passe",
        ["trust-answer.changed"] = "Modification de votre question de confiance ou de sa réponse",
        ["email-change.requested"] = "Demande de modification de l'adresse électronique de connexion (un code d'activation a été envoyé à la nouvelle adresse)",
        // The requester saw the same screen as for any address: the journal says the same.
        ["email-change.refused-taken"] = "Demande de modification de l'adresse électronique de connexion (un code d'activation a été envoyé à la nouvelle adresse)",
        ["email-change.activated"] = "Activation de la nouvelle adresse électronique de connexion",
        ["email-change.code-resent"] = "Nouvel envoi du code d'activation à la nouvelle adresse (« Je n'ai pas reçu mon code »)",
        ["email-change.resend-refused"] = "Nouvel envoi du code d'activation refusé : trois codes ont déjà été envoyés en 24 heures",
        ["email-change.cancelled"] = "Annulation de la modification de l'adresse électronique de connexion",
        ["activation.code-voided"] = "Code d'activation annulé après trop de saisies erronées",
        ["login.code.sent"] = "Envoi d'un code de sécurité par courriel",
        ["password-reset.requested"] = "Demande de réinitialisation du mot de passe (un lien a été envoyé par courriel)",
        ["password-reset.link-opened"] = "Ouverture du lien de réinitialisation du mot de passe",
        ["password-reset.answer-verified"] = "Réponse exacte à la question de confiance (réinitialisation du mot de passe)",
        ["password-reset.completed"] = "Réinitialisation du mot de passe",
        ["recap.downloaded"] = "Téléchargement de votre récapitulatif",
        ["contact-details.changed"] = "Modification de vos coordonnées",
        ["session.closed"] = "Fermeture d'une autre session depuis « Activité de mon espace »",
        ["sessions.closed"] = "Fermeture de toutes les autres sessions depuis « Activité de mon espace »",
        ["space.created"] = "Création de votre espace",
        ["space.activated"] = "Activation de votre espace",
        ["device.forgotten"] = "Navigateur oublié (« Oublier cet appareil ») : il devra de nouveau être reconnu",
    };

    /// <summary>Every type the journal knows, shown one by one or gathered per day.</summary>
    public static IEnumerable<string> KnownTypes => Labels.Keys.Concat(Refusals.Keys);

    private static string? Label(Row row)
    {
        if (!Labels.TryGetValue(row.Type, out var label))
        {
            return null;
        }
        return (row.Type, Reason(row.Details)) switch
        {
            ("password.changed", "expired") => "Modification de votre mot de passe arrivé à expiration",
            ("logout", "activation") => "Déconnexion avant l'activation d'une adresse électronique",
            _ => label,
        };
    }

    /// <summary>The "reason" detail some events carry (an identifier, never free text).</summary>
    private static string? Reason(string? details)
    {
        if (details is null || !details.Contains("\"reason\"", StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(details);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
                ? reason.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// « 192.168.1.x » for IPv4, « 2001:db8:85a3::/48 » for IPv6: the network a person may
    /// recognise (home, office, mobile operator) without the full address of the device.
    /// </summary>
    public static string? ShortAddress(string? address)
    {
        if (address is null || !IPAddress.TryParse(address, out var ip))
        {
            return null;
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        var bytes = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.x";
        }
        var network = new byte[16];
        Array.Copy(bytes, network, 6);
        return new IPAddress(network) + "/48";
    }
}
