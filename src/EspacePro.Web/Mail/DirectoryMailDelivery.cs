using System.Globalization;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EspacePro.Web.Mail;

/// <summary>
/// One <c>.eml</c> per mail in Mail:Directory (Development): <c>20260223T135232Z-&lt;id&gt;.eml</c>,
/// sortable by time. Written to a hidden temporary file then moved, so a reader never sees half a mail.
/// </summary>
public sealed class DirectoryMailDelivery(IOptions<MailOptions> options, TimeProvider time) : IMailDelivery
{
    public const string Extension = ".eml";
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var message = MimeMessages.Build(mail, settings.From, now);
        Directory.CreateDirectory(settings.Directory);
        var name = FileName(now, mail.Id);
        var temporary = Path.Combine(settings.Directory, "." + name + ".tmp");
        await using (var stream = File.Create(temporary))
        {
            await message.WriteToAsync(FormatOptions.Default, stream, cancellationToken);
        }
        File.Move(temporary, Path.Combine(settings.Directory, name), overwrite: true);
    }

    public static string FileName(DateTimeOffset sentAt, Guid id) =>
        sentAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + "-" + id.ToString("N") + Extension;
}
