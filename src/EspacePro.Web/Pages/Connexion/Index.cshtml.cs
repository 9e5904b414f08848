using System.ComponentModel.DataAnnotations;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Captcha;
using EspacePro.Web.Common;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.Connexion;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class IndexModel(
    EspaceProDbContext db,
    CaptchaStore captchas,
    LoginThrottler throttler,
    PasswordHashing hashing,
    TrustedDevices devices,
    LoginCodes loginCodes,
    LoginCompletion completion,
    ILookupNormalizer normalizer,
    Audit audit) : PageModel
{
    /// <summary>One message for every failure (docs/security.md R4): nothing tells which part was wrong.</summary>
    public const string FailureMessage =
        "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie et réessayez.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty]
    public CaptchaInput Captcha { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "retour")]
    public string? ReturnUrl { get; set; }

    public CaptchaView CaptchaView { get; private set; } = new(null, CaptchaPurpose.Login, "");

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Redirect("/");
        }
        await IssueCaptchaAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await captchas.CheckAsync(CaptchaPurpose.Login, Captcha, ModelState);
        if (!ModelState.IsValid)
        {
            await IssueCaptchaAsync();
            return Page();
        }

        var normalizedEmail = normalizer.NormalizeEmail(Input.Email.Trim());
        // Only activated spaces log in, and only with their current login e-mail.
        var account = await AccountQuery.For(db)(db, normalizedEmail);
        // A browser where this space was opened before is throttled on its own key only, so
        // that failures caused by others (on this e-mail, from this address) never keep it out.
        var device = account is null ? null : await devices.RecognizeAsync(HttpContext, account.Id);
        var keys = device is { } deviceId
            ? LoginThrottler.Device(deviceId)
            : LoginThrottler.Anonymous(normalizedEmail, Audit.ClientAddress(HttpContext));
        // Counted before the hash, so that parallel guesses cannot spend more tries than allowed.
        var allowed = await throttler.TryCountGuessAsync(keys);

        // The hash runs in every case (a dummy one for an unknown or throttled e-mail): same time.
        PasswordVerificationResult verification;
        try
        {
            verification = await hashing.VerifyAsync(allowed ? account?.PasswordHash : null, Input.Password, HttpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The browser went away while its guess waited for the hash: the hash never ran.
            await throttler.WithdrawAsync(keys);
            throw;
        }

        if (account is null || !allowed || verification == PasswordVerificationResult.Failed)
        {
            await audit.RecordNowAsync(allowed ? "login.failed" : "login.throttled", account?.Id,
                allowed ? new { reason = account is null ? "unknown" : "password", device = device is not null } : new { device = device is not null });
            ModelState.AddModelError(string.Empty, FailureMessage);
            await IssueCaptchaAsync();
            return Page();
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = await hashing.HashAsync(Input.Password, HttpContext.RequestAborted);
        }
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;
        if (device is null && loginCodes.Enabled)
        {
            // A right password from a browser the space does not know is only half a login: the
            // code mailed to the login address must follow. Until then the guess stays counted
            // on the e-mail and the address, so whoever holds the password alone cannot ask for
            // codes (and their tries) faster than the throttle allows.
            loginCodes.Start(HttpContext, account, returnUrl);
            await db.SaveChangesAsync();
            return RedirectToPage("Code");
        }

        if (await completion.CompleteAsync(HttpContext, account, device, keys, byCode: false))
        {
            return Redirect(ExpiredPasswordGate.ChangePath);
        }
        return LocalRedirect(returnUrl ?? "/");
    }

    public async Task<IActionResult> OnPostNewCaptchaAsync()
    {
        await captchas.CheckAsync(CaptchaPurpose.Login, Captcha.Id, null);
        return RedirectToPage();
    }

    /// <summary>The space a login is for, tracked (a rehash saves it); compiled once.</summary>
    private static readonly CompiledPerModel<Func<EspaceProDbContext, string, Task<Account?>>> AccountQuery = new(() =>
        EF.CompileAsyncQuery((EspaceProDbContext db, string normalizedEmail) =>
            db.Users.FirstOrDefault(a => a.NormalizedEmail == normalizedEmail && a.ActivatedAt != null)));

    private async Task IssueCaptchaAsync() =>
        CaptchaView = new(await captchas.IssueAsync(CaptchaPurpose.Login), CaptchaPurpose.Login, "Recopier les caractères");

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Saisissez votre adresse électronique.")]
        [LoginEmail]
        public string Email { get => _email; set => _email = value?.Trim() ?? ""; }
        private string _email = "";

        [Required(ErrorMessage = "Saisissez votre mot de passe.")]
        [PasswordWithinMaximum]
        public string Password { get; set; } = "";
    }
}
