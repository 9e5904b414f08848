using System.ComponentModel.DataAnnotations;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Captcha;
using EspacePro.Web.Mail;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Pages.Creation;

/// <summary>
/// « Créer votre espace professionnel »: the space is stored unactivated, its login
/// e-mail pending; the activation code goes to that address and the wizard of /activation
/// finishes it. An address that already has a space is not revealed: its owner is told instead.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class IndexModel(
    EspaceProDbContext db,
    CaptchaStore captchas,
    PasswordChanges passwords,
    ILookupNormalizer normalizer,
    Mailer mailer,
    PublicLinks links,
    Audit audit,
    TimeProvider time,
    IOptions<ActivationOptions> activation) : PageModel
{
    public const string SentKey = "CreationSentTo";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty]
    public ContactInput Contact { get; set; } = new();

    [BindProperty]
    public CaptchaInput Captcha { get; set; } = new();

    public CaptchaView CaptchaView { get; private set; } = new(null, CaptchaPurpose.Creation, "");

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Redirect("/");
        }
        Input.Question = TrustQuestions.All[0].Key;
        await IssueCaptchaAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var email = Input.Email?.Trim() ?? "";
        if (email.Length > 0 && !string.Equals(Input.ConfirmEmail?.Trim(), email, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Input.ConfirmEmail", "Les deux adresses électroniques saisies ne sont pas identiques.");
        }
        if (!TrustQuestions.IsKnown(Input.Question))
        {
            ModelState.AddModelError("Input.Question", "Choisissez une question dans la liste.");
        }
        foreach (var message in TrustAnswerPolicy.Validate(Input.Answer ?? "", email, Input.Password))
        {
            ModelState.AddModelError("Input.Answer", message);
        }
        var draft = new Account
        {
            Id = Guid.NewGuid(),
            Email = email,
            FirstName = Input.FirstName?.Trim() ?? "",
            LastName = Input.LastName?.Trim() ?? "",
        };
        await passwords.ValidateAsync(draft, Input.Password, Input.ConfirmPassword, ModelState, "Input.Password", "Input.ConfirmPassword", HttpContext.RequestAborted);
        await captchas.CheckAsync(CaptchaPurpose.Creation, Captcha, ModelState);
        if (!ModelState.IsValid)
        {
            await IssueCaptchaAsync();
            return Page();
        }

        var now = time.GetUtcNow();
        var normalized = normalizer.NormalizeEmail(email);
        // Both secrets are hashed whether or not the address has a space: the two hashes are
        // nearly all of this request's time, and skipping them for a taken address would tell
        // it apart by the answer's speed alone.
        var passwordHash = await passwords.HashAsync(Input.Password!, HttpContext.RequestAborted);
        var answerHash = await passwords.HashAsync(Input.Answer!, HttpContext.RequestAborted);
        if (await db.Users.AnyAsync(a => a.NormalizedEmail == normalized))
        {
            mailer.Enqueue(new ExistingSpaceNoticeEmail(email, now));
            audit.Record("space-creation.refused-taken", null);
            await db.SaveChangesAsync();
        }
        else
        {
            await CreateAsync(draft, email, normalized, passwordHash, answerHash, now);
        }
        TempData[SentKey] = email;
        return RedirectToPage("CourrielEnvoye");
    }

    public async Task<IActionResult> OnPostNewCaptchaAsync()
    {
        await captchas.CheckAsync(CaptchaPurpose.Creation, Captcha.Id, null);
        return RedirectToPage();
    }

    private async Task CreateAsync(Account draft, string email, string normalized, string passwordHash, string answerHash, DateTimeOffset now)
    {
        for (var attempt = 0; ; attempt++)
        {
            var subscriber = SubscriberNumbers.New(now);
            var account = new Account
            {
                Id = draft.Id,
                Civility = Input.Civility == Civility.Monsieur ? Civility.Monsieur : Civility.Madame,
                FirstName = draft.FirstName,
                LastName = draft.LastName,
                SubscriberNumber = subscriber,
                UserName = subscriber,
                NormalizedUserName = subscriber,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                Mode = AccountMode.Simplified,
                TrustQuestion = Input.Question!,
                TrustAnswerHash = answerHash,
                CreatedAt = now,
            };
            Contact.ApplyTo(account);
            passwords.Apply(account, passwordHash, now);
            var code = ActivationCodes.Generate();
            db.Users.Add(account);
            db.PendingEmailChanges.Add(new PendingEmailChange
            {
                Id = Guid.NewGuid(),
                AccountId = account.Id,
                NewEmail = email,
                NormalizedNewEmail = normalized,
                CodeHash = ActivationCodes.Hash(code),
                CreatedAt = now,
                ExpiresAt = now + activation.Value.CodeLifetime,
            });
            mailer.Enqueue(new ActivationCodeEmail(email, code, links.To("/activation"), (int)activation.Value.CodeLifetime.TotalHours));
            audit.Record("space.created", account.Id);
            try
            {
                await db.SaveChangesAsync();
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A subscriber number drawn twice: draw again.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task IssueCaptchaAsync() =>
        CaptchaView = new(await captchas.IssueAsync(CaptchaPurpose.Creation), CaptchaPurpose.Creation, "Recopiez les caractères de l'image : *");

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Indiquez votre civilité.")]
        public Civility? Civility { get; set; }

        [Required(ErrorMessage = "Saisissez votre nom.")]
        [StringLength(100, ErrorMessage = "Le nom ne doit pas dépasser 100 caractères.")]
        [PersonName]
        public string? LastName { get; set; }

        [Required(ErrorMessage = "Saisissez votre prénom.")]
        [StringLength(100, ErrorMessage = "Le prénom ne doit pas dépasser 100 caractères.")]
        [PersonName]
        public string? FirstName { get; set; }

        [Required(ErrorMessage = "Saisissez votre adresse électronique de connexion.")]
        [LoginEmail(Example = LoginEmailAttribute.UserExample)]
        public string? Email { get; set; }

        [Required(ErrorMessage = "Confirmez votre adresse électronique de connexion.")]
        public string? ConfirmEmail { get; set; }

        public string? Password { get; set; }
        public string? ConfirmPassword { get; set; }

        public string? Question { get; set; }
        public string? Answer { get; set; }
    }
}
