using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

namespace EspacePro.Web.Demo;

/// <summary>
/// The three demo spaces listed in the README, one per home-page variant of the sheet. Their
/// passwords and trust answers are documented in the README; seeding is idempotent and safe on
/// several nodes.
/// </summary>
public static class DemoData
{
    public sealed record DemoAccount(
        Civility Civility, string LastName, string FirstName, string Email, string Password,
        string TrustQuestion, string TrustAnswer, string SubscriberNumber, string Phone,
        string AddressLine, string PostalCode, string City, AccountMode Mode, int PasswordAgeDays,
        IReadOnlyList<(string Siren, string Name, IReadOnlyList<(ServiceCategory, string, bool)> Services)> Companies);

    /// <summary>The sheet's service list (its chapter 2, "Écran 2").</summary>
    public static readonly IReadOnlyList<(ServiceCategory, string, bool)> SheetServices =
    [
        (ServiceCategory.Consult, "Compte fiscal", true),
        (ServiceCategory.Consult, "Avis CFE", false),
        (ServiceCategory.Declare, "TVA", false),
        (ServiceCategory.Declare, "Impôt sur les sociétés", false),
        (ServiceCategory.Declare, "Taxe sur les salaires", false),
        (ServiceCategory.Declare, "CVAE", false),
        (ServiceCategory.Declare, "Revenus de capitaux mobiliers", true),
        (ServiceCategory.Declare, "Taxe activités polluantes", false),
        (ServiceCategory.Declare, "Taxe int. consommation", false),
        (ServiceCategory.Declare, "Taxe v. vénale immeubles", false),
        (ServiceCategory.Declare, "Taxe de séjour", false),
        (ServiceCategory.Declare, "Taxe conv. d'assurances", false),
        (ServiceCategory.Declare, "Résultat", true),
        (ServiceCategory.Declare, "Revenus SCI non soumises IS", true),
        (ServiceCategory.Declare, "Tiers déclarants", false),
        (ServiceCategory.Declare, "Dispositif DAC6", true),
        (ServiceCategory.Declare, "Paiements transfrontaliers - CESOP", false),
        (ServiceCategory.Pay, "TVA", false),
        (ServiceCategory.Pay, "Impôt sur les sociétés", false),
        (ServiceCategory.Pay, "Taxe sur les salaires", false),
        (ServiceCategory.Pay, "CVAE", false),
        (ServiceCategory.Pay, "Revenus de capitaux mobiliers", false),
        (ServiceCategory.Pay, "Taxe activités polluantes", false),
        (ServiceCategory.Pay, "Taxe int. consommation", false),
        (ServiceCategory.Pay, "Contributions indirectes", true),
        (ServiceCategory.Pay, "Taxe v. vénale immeubles", false),
        (ServiceCategory.Pay, "Taxe conv. d'assurances", false),
        (ServiceCategory.Pay, "Prélèvement à la source", true),
        (ServiceCategory.Pay, "CFE et autres impôts", false),
        (ServiceCategory.Pay, "Dette fiscale", true),
        (ServiceCategory.Procedures, "Remboursement de TVA UE", false),
        (ServiceCategory.Procedures, "Guichet de TVA UE", false),
        (ServiceCategory.Procedures, "Gérer mes biens immobiliers", false),
        (ServiceCategory.Procedures, "Cession de droits sociaux", true),
        (ServiceCategory.Procedures, "Successions vacantes", false),
    ];

    public static readonly IReadOnlyList<DemoAccount> Spaces =
    [
        new(Civility.Monsieur, "Durand", "Paul", "paul.durand@espacepro.test", "Marmotte-Piano-Orage-2026",
            "animal", "Caramel le chat", "20190520000417", "0145678901", "12 rue des Lilas", "69003", "Lyon",
            AccountMode.Simplified, 200, []),
        new(Civility.Madame, "Rosemonde", "Lila", "lila.rosemonde@espacepro.test", "Cerisier-Violon-Nuage-2026",
            "plat", "Ratatouille", "20101670101919", "0123456789", "5 avenue de l'Opéra", "75001", "Paris",
            AccountMode.Expert, 100, [("123456789", "SARL MARTIN DISTRIBUTION", SheetServices)]),
        new(Civility.Madame, "Fontaine", "Claire", "claire.fontaine@espacepro.test", "Tournesol-Guitare-Brume-2026",
            "ville", "Annecy", "20150310002288", "0478123456", "3 quai Perrière", "38000", "Grenoble",
            // Changed 3 years ago minus 20 days: the home page shows the expiry warning.
            AccountMode.Expert, 3 * 365 - 20,
            [
                ("552100554", "SAS BOULANGERIE FONTAINE", SheetServices.Where(s => s.Item1 != ServiceCategory.Procedures).ToList()),
                ("732829320", "SCI LES TILLEULS", SheetServices.Where(s => s.Item2.Contains("SCI") || s.Item2 == "Compte fiscal" || s.Item2 == "Gérer mes biens immobiliers").ToList()),
                ("404833048", "EURL ATELIER FONTAINE", SheetServices.Where(s => s.Item1 == ServiceCategory.Pay).ToList()),
            ]),
    ];

    public static bool IsEnabled(DemoDataOptions options, IHostEnvironment environment) =>
        options.Enabled ?? environment.IsDevelopment();

    public static async Task SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<EspaceProDbContext>();
        var hasher = sp.GetRequiredService<Argon2idPasswordHasher>();
        var normalizer = sp.GetRequiredService<ILookupNormalizer>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var validity = sp.GetRequiredService<IOptions<PasswordOptions>>().Value.ValidityMonths;
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoData));

        foreach (var space in Spaces)
        {
            var normalized = normalizer.NormalizeEmail(space.Email);
            if (await db.Users.AnyAsync(a => a.NormalizedEmail == normalized || a.SubscriberNumber == space.SubscriberNumber))
            {
                continue;
            }
            var changedAt = now.AddDays(-space.PasswordAgeDays);
            var account = new Account
            {
                Id = Guid.NewGuid(),
                Civility = space.Civility,
                LastName = space.LastName,
                FirstName = space.FirstName,
                Email = space.Email,
                NormalizedEmail = normalized,
                EmailConfirmed = true,
                UserName = space.SubscriberNumber,
                NormalizedUserName = space.SubscriberNumber,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                SubscriberNumber = space.SubscriberNumber,
                Phone = space.Phone,
                AddressLine = space.AddressLine,
                PostalCode = space.PostalCode,
                City = space.City,
                Mode = space.Mode,
                PasswordHash = hasher.Hash(space.Password),
                PasswordChangedAt = changedAt,
                PasswordValidUntil = PasswordValidity.ValidUntil(changedAt, validity),
                TrustQuestion = space.TrustQuestion,
                TrustAnswerHash = hasher.Hash(space.TrustAnswer),
                CreatedAt = now.AddYears(-2),
                ActivatedAt = now.AddYears(-2),
                Companies = space.Companies.Select((c, i) => new CompanyFile
                {
                    Id = Guid.NewGuid(),
                    Siren = c.Siren,
                    Name = c.Name,
                    SortOrder = i,
                    Services = c.Services.Select((s, j) => new ServiceGrant
                    {
                        Id = Guid.NewGuid(),
                        Category = s.Item1,
                        Name = s.Item2,
                        HasDetails = s.Item3,
                        SortOrder = j,
                    }).ToList(),
                }).ToList(),
            };
            db.Users.Add(account);
            try
            {
                await db.SaveChangesAsync();
                logger.LogInformation("Demo space {SubscriberNumber} seeded", space.SubscriberNumber);
            }
            catch (DbUpdateException)
            {
                // Another node seeded it at the same moment.
                db.ChangeTracker.Clear();
            }
        }
    }
}
