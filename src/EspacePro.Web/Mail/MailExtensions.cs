using EspacePro.Web.Database;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EspacePro.Web.Mail;

public static class MailExtensions
{
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var environment = builder.Environment;
        services.AddOptions<MailOptions>()
            // Defaults that depend on the environment, before the configuration overrides them.
            .Configure(o =>
            {
                o.Delivery = environment.IsDevelopment() ? MailDeliveryMode.Directory : MailDeliveryMode.Smtp;
                o.Directory = Path.Combine(DataExtensions.DataDirectory(builder.Configuration, environment), "mail");
            })
            .BindConfiguration(MailOptions.Section)
            .PostConfigure(o =>
            {
                if (!string.IsNullOrWhiteSpace(o.Directory))
                {
                    o.Directory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, o.Directory));
                }
            })
            .Validate(o => Enum.IsDefined(o.Delivery), "Mail:Delivery must be Directory or Smtp.")
            .Validate(o => o.Delivery != MailDeliveryMode.Directory || !string.IsNullOrWhiteSpace(o.Directory),
                "Mail:Directory is required when Mail:Delivery is Directory.")
            .Validate(o => o.Delivery != MailDeliveryMode.Smtp || !string.IsNullOrWhiteSpace(o.Smtp.Host),
                "Mail:Smtp:Host is required when Mail:Delivery is Smtp.")
            .Validate(o => o.Smtp.Port is > 0 and <= 65535, "Mail:Smtp:Port must be between 1 and 65535.")
            .Validate(o => Enum.IsDefined(o.Smtp.Security), "Mail:Smtp:Security must be Auto, None, StartTls or SslOnConnect.")
            .Validate(o => string.IsNullOrEmpty(o.Smtp.UserName) || o.Smtp.Security != SmtpSecurity.None,
                "Mail:Smtp:UserName needs Mail:Smtp:Security StartTls, SslOnConnect or Auto: credentials are never sent in clear.")
            .Validate(o => IsSenderAddress(o.From), "Mail:From must be a single e-mail address.")
            .Validate(o => o.MaxAttempts is >= 1 and <= 100, "Mail:MaxAttempts must be between 1 and 100.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromMinutes(10),
                "Mail:PollInterval must be between 00:00:00.001 and 00:10:00.")
            .Validate(o => o.Lease >= TimeSpan.FromSeconds(5) && o.Lease <= TimeSpan.FromHours(1),
                "Mail:Lease must be between 00:00:05 and 01:00:00.")
            .ValidateOnStart();

        services.AddScoped<Mailer>();
        services.AddSingleton<MailSignal>();
        services.AddSingleton<PublicLinks>();
        services.AddSingleton<SmtpMailDelivery>();
        services.AddSingleton<DirectoryMailDelivery>();
        services.AddSingleton<IMailDelivery>(ConfiguredDelivery);
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<DevMailbox>();
        return builder;
    }

    /// <summary>The delivery Mail:Delivery names (tests wrap it with a capture).</summary>
    public static IMailDelivery ConfiguredDelivery(IServiceProvider services) =>
        services.GetRequiredService<IOptions<MailOptions>>().Value.Delivery == MailDeliveryMode.Directory
            ? services.GetRequiredService<DirectoryMailDelivery>()
            : services.GetRequiredService<SmtpMailDelivery>();

    private static bool IsSenderAddress(string? from) =>
        !string.IsNullOrWhiteSpace(from)
        && MailboxAddress.TryParse(from, out var mailbox)
        && mailbox.Address == from.Trim()
        && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
