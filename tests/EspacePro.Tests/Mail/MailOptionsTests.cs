using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EspacePro.Tests.Mail;

public sealed class MailOptionsTests
{
    private static MailOptions Resolve(string environment, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = Path.GetTempPath(),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddMail();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<MailOptions>>().Value;
    }

    [Fact]
    public void Development_writes_to_the_mail_folder_under_the_data_directory()
    {
        var options = Resolve("Development");

        Assert.Equal(MailDeliveryMode.Directory, options.Delivery);
        Assert.Equal(Path.GetFullPath(Path.Combine(Path.GetTempPath(), "App_Data", "mail")), options.Directory);
        Assert.Equal("ne-pas-repondre@dgfip.finances.gouv.fr", options.From);
        Assert.Equal(60, options.MaxAttempts);
        Assert.Equal(25, options.Smtp.Port);
        Assert.Equal(SmtpSecurity.Auto, options.Smtp.Security);
        Assert.False(options.ShowDevPage);
    }

    [Fact]
    public void Elsewhere_mail_goes_to_SMTP_and_the_folder_follows_App_DataDirectory()
    {
        var options = Resolve("Production", new Dictionary<string, string?>
        {
            ["App:DataDirectory"] = "/var/lib/espacepro",
            ["Mail:Smtp:Host"] = "relay.example",
            ["Mail:Smtp:Security"] = "StartTls",
        });

        Assert.Equal(MailDeliveryMode.Smtp, options.Delivery);
        Assert.Equal("/var/lib/espacepro/mail", options.Directory);
        Assert.Equal(SmtpSecurity.StartTls, options.Smtp.Security);
    }

    [Theory]
    [InlineData("Mail:Smtp:Host", "Mail:Delivery", "Smtp")]
    [InlineData("Mail:Smtp:Port", "Mail:Smtp:Port", "0")]
    [InlineData("Mail:From", "Mail:From", "pas une adresse")]
    [InlineData("Mail:MaxAttempts", "Mail:MaxAttempts", "0")]
    [InlineData("Mail:Smtp:UserName", "Mail:Smtp:Security", "None", "Mail:Smtp:UserName", "relay-user")]
    public async Task A_bad_setting_stops_the_app_with_a_message_naming_the_key(string namedKey, string key, string value, string? otherKey = null, string? otherValue = null)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (otherKey is not null)
        {
            settings[otherKey] = otherValue;
        }
        await using var app = new TestApp(settings: settings);

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains(namedKey, error.Message);
    }

    [Fact]
    public async Task An_unknown_delivery_stops_the_app_with_a_message_naming_the_key()
    {
        await using var app = new TestApp(settings: new Dictionary<string, string?> { ["Mail:Delivery"] = "Pigeon" });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => app.Services);

        Assert.Contains("Mail:Delivery", error.Message);
    }
}
