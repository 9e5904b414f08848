using System.Globalization;
using EspacePro.Web.Accounts;
using EspacePro.Web.Captcha;
using EspacePro.Web.Common;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using EspacePro.Web.Observability;
using EspacePro.Web.Pages;
using EspacePro.Web.Passwords;
using EspacePro.Web.Recap;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

NativeMemoryTuning.Apply();
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = FrenchFormat.Culture;

// `--migrate-only`: apply the migrations (and make the first data-protection key), then exit.
var migrateOnly = args.Contains(DatabaseStartup.MigrateOnlySwitch);
var builder = WebApplication.CreateBuilder(args.Where(a => a != DatabaseStartup.MigrateOnlySwitch).ToArray());
builder.Logging.AddLogging(builder.Configuration, builder.Environment);
builder.Services.AddSingleton(TimeProvider.System);
builder.AddData();
builder.AddWebSecurity();
builder.AddRateLimits();
builder.AddAccounts();
builder.AddPasswordRules();
builder.AddCaptcha();
builder.AddRecap();
builder.AddMail();
builder.AddObservability();
builder.AddPages();

var app = builder.Build();

if (migrateOnly)
{
    await app.MigrateOnlyAsync();
    app.Logger.LogInformation("Database migrated; exiting ({Switch})", DatabaseStartup.MigrateOnlySwitch);
    return;
}
try
{
    await app.PrepareDatabaseAsync();
}
catch (DatabaseNotMigratedException error)
{
    app.Logger.LogCritical("{StartupError}", error.Message);
    Environment.ExitCode = 1;
    return;
}

app.UseWebSecurity();
app.UseMetricsEndpoint();
app.UseClientAssets();
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseExpiredPasswordGate();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
app.MapCaptcha();
app.MapRazorPages();
// Unknown addresses get the French 404 page, logged in or not.
app.MapFallback("{*path}", context =>
{
    context.Response.StatusCode = StatusCodes.Status404NotFound;
    return Task.CompletedTask;
}).AllowAnonymous();

app.Run();

public partial class Program;
