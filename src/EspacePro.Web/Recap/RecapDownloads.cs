using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Common;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace EspacePro.Web.Recap;

/// <summary>The recap PDF as a download (docs/security.md R26): no-store, attachment, audited.</summary>
public sealed class RecapDownloads(RecapPdfRenderer renderer, Audit audit, TimeProvider time, EspaceProDbContext db)
{
    public async Task<IActionResult> DownloadAsync(HttpContext http, Account account, string via)
    {
        var now = time.GetUtcNow();
        var pdf = renderer.Render(new RecapData(
            account.LastName.ToUpper(FrenchFormat.Culture),
            account.FirstName,
            account.SubscriberNumber,
            account.Phone,
            account.Email ?? "",
            PostalAddress(account),
            TrustQuestions.LabelOf(account.TrustQuestion),
            now));
        audit.Record("recap.downloaded", account.Id, new { via });
        await db.SaveChangesAsync();
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return new FileContentResult(pdf, "application/pdf")
        {
            FileDownloadName = $"recapitulatif-espace-professionnel-{account.SubscriberNumber}.pdf",
        };
    }

    public static string PostalAddress(Account account) =>
        string.Join(" ", new[] { account.AddressLine, account.PostalCode, account.City, account.Country }
            .Where(part => !string.IsNullOrWhiteSpace(part)));
}
