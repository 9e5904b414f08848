using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EspacePro.Web.Mail;

/// <summary>
/// Reads the <c>.eml</c> files of <see cref="DirectoryMailDelivery"/> for the Development mail
/// page (/dev/courriels). Shown only with Directory delivery, and outside Development only when
/// Mail:ShowDevPage is set: the mails hold activation codes and reset links.
/// </summary>
public sealed partial class DevMailbox(IOptions<MailOptions> options, IHostEnvironment environment)
{
    private const int MaxListed = 200;

    public bool IsEnabled =>
        options.Value.Delivery == MailDeliveryMode.Directory && (environment.IsDevelopment() || options.Value.ShowDevPage);

    public sealed record Summary(string Id, DateTimeOffset Date, string To, string Subject);

    /// <summary>The newest mails first.</summary>
    public async Task<IReadOnlyList<Summary>> ListAsync(CancellationToken cancellationToken)
    {
        var directory = new DirectoryInfo(options.Value.Directory);
        if (!directory.Exists)
        {
            return [];
        }
        var files = directory.EnumerateFiles("*" + DirectoryMailDelivery.Extension)
            .Where(f => IdPattern().IsMatch(Path.GetFileNameWithoutExtension(f.Name)))
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Take(MaxListed);
        var list = new List<Summary>();
        foreach (var file in files)
        {
            var message = await LoadAsync(file.FullName, cancellationToken);
            if (message is not null)
            {
                list.Add(new Summary(Path.GetFileNameWithoutExtension(file.Name), message.Date, message.To.ToString(), message.Subject ?? ""));
            }
        }
        return list;
    }

    /// <summary>One mail by its id (the file name without <c>.eml</c>); null when unknown.</summary>
    public async Task<MimeMessage?> FindAsync(string? id, CancellationToken cancellationToken)
    {
        // The id names a file: only the exact shape the delivery writes, never a path.
        if (id is null || !IdPattern().IsMatch(id))
        {
            return null;
        }
        return await LoadAsync(Path.Combine(options.Value.Directory, id + DirectoryMailDelivery.Extension), cancellationToken);
    }

    private static async Task<MimeMessage?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await MimeMessage.LoadAsync(path, cancellationToken);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
