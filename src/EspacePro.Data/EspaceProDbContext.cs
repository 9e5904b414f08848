using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EspacePro.Data;

public sealed class EspaceProDbContext(DbContextOptions<EspaceProDbContext> options)
    : IdentityUserContext<Account, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>Data-protection keys shared by every node (cookies, anti-forgery, wizard state).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<CompanyFile> Companies => Set<CompanyFile>();
    public DbSet<ServiceGrant> Services => Set<ServiceGrant>();
    public DbSet<AccountSession> Sessions => Set<AccountSession>();
    public DbSet<LoginThrottle> LoginThrottles => Set<LoginThrottle>();
    public DbSet<TrustedDevice> TrustedDevices => Set<TrustedDevice>();
    public DbSet<LoginCode> LoginCodes => Set<LoginCode>();
    public DbSet<CaptchaChallenge> Captchas => Set<CaptchaChallenge>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<PendingEmailChange> PendingEmailChanges => Set<PendingEmailChange>();
    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();
    public DbSet<PasswordResetRequest> PasswordResets => Set<PasswordResetRequest>();
    public DbSet<ExpiryReminder> ExpiryReminders => Set<ExpiryReminder>();

    /// <summary>Room for a browser and system summary (« Samsung Internet sous Android »).</summary>
    public const int DeviceMaxLength = 60;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare DateTimeOffset values in SQL; stored as UTC ticks they order
        // and compare correctly. PostgreSQL keeps its native timestamptz.
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Account>(a =>
        {
            a.ToTable("Accounts");
            a.HasIndex(x => x.NormalizedEmail).IsUnique();
            a.HasIndex(x => x.SubscriberNumber).IsUnique();
            // The expiry-reminder job looks spaces up by validity date.
            a.HasIndex(x => x.PasswordValidUntil);
            a.Property(x => x.SubscriberNumber).HasMaxLength(14).IsFixedLength();
            a.Property(x => x.Email).HasMaxLength(100);
            a.Property(x => x.NormalizedEmail).HasMaxLength(100);
            a.Property(x => x.UserName).HasMaxLength(100);
            a.Property(x => x.NormalizedUserName).HasMaxLength(100);
            a.Property(x => x.LastName).HasMaxLength(100);
            a.Property(x => x.FirstName).HasMaxLength(100);
            a.Property(x => x.Phone).HasMaxLength(20);
            a.Property(x => x.AddressLine).HasMaxLength(200);
            a.Property(x => x.PostalCode).HasMaxLength(10);
            a.Property(x => x.City).HasMaxLength(100);
            a.Property(x => x.Country).HasMaxLength(60);
            a.Property(x => x.TrustQuestion).HasMaxLength(40);
            a.Property(x => x.TrustAnswerHash).HasMaxLength(200);
            a.HasMany(x => x.Companies).WithOne().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<CompanyFile>(c =>
        {
            c.Property(x => x.Siren).HasMaxLength(9).IsFixedLength();
            c.Property(x => x.Name).HasMaxLength(200);
            c.HasIndex(x => new { x.AccountId, x.Siren }).IsUnique();
            c.HasMany(x => x.Services).WithOne().HasForeignKey(s => s.CompanyFileId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ServiceGrant>(s => s.Property(x => x.Name).HasMaxLength(100));

        builder.Entity<AccountSession>(s =>
        {
            s.HasIndex(x => x.AccountId);
            s.Property(x => x.Device).HasMaxLength(DeviceMaxLength);
            s.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<LoginThrottle>(t =>
        {
            t.HasKey(x => x.Key);
            t.Property(x => x.Key).HasMaxLength(80);
        });

        builder.Entity<TrustedDevice>(d =>
        {
            d.Property(x => x.UserAgent).HasMaxLength(60);
            d.HasIndex(x => x.AccountId);
            d.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<LoginCode>(c =>
        {
            c.Property(x => x.CodeHash).HasMaxLength(64);
            c.Property(x => x.Salt).HasMaxLength(16);
            c.HasIndex(x => x.AccountId);
            // Housekeeping deletes the ended ones by date.
            c.HasIndex(x => x.CreatedAt);
            c.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<CaptchaChallenge>(c =>
        {
            c.Property(x => x.Id).HasMaxLength(32);
            c.Property(x => x.Purpose).HasMaxLength(40);
            c.Property(x => x.Answer).HasMaxLength(8);
            c.Property(x => x.Secret).HasMaxLength(32);
            c.HasIndex(x => x.ExpiresAt);
        });

        builder.Entity<AuditEvent>(e =>
        {
            e.Property(x => x.Type).HasMaxLength(60);
            e.Property(x => x.ClientAddress).HasMaxLength(64);
            e.Property(x => x.Details).HasMaxLength(2000);
            e.Property(x => x.Device).HasMaxLength(DeviceMaxLength);
            e.HasIndex(x => new { x.AccountId, x.At });
        });

        builder.Entity<PendingEmailChange>(p =>
        {
            p.Property(x => x.NewEmail).HasMaxLength(100);
            p.Property(x => x.NormalizedNewEmail).HasMaxLength(100);
            p.Property(x => x.CodeHash).HasMaxLength(64);
            p.Property(x => x.CancelTokenHash).HasMaxLength(64);
            p.Property(x => x.VoidReason).HasMaxLength(20);
            p.HasIndex(x => x.NormalizedNewEmail);
            // Step 2 of the activation finds the change by its code.
            p.HasIndex(x => x.CodeHash);
            p.HasIndex(x => x.CancelTokenHash);
            p.HasIndex(x => x.AccountId);
            p.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PasswordHistoryEntry>(h =>
        {
            h.ToTable("PasswordHistory");
            h.Property(x => x.PasswordHash).HasMaxLength(200);
            h.HasIndex(x => new { x.AccountId, x.ChangedAt });
            h.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PasswordResetRequest>(r =>
        {
            r.Property(x => x.TokenHash).HasMaxLength(64);
            r.HasIndex(x => x.TokenHash).IsUnique();
            r.HasIndex(x => x.AccountId);
            r.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ExpiryReminder>(r =>
        {
            r.HasIndex(x => new { x.AccountId, x.ValidUntil, x.DaysBefore }).IsUnique();
            r.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<OutboxMessage>(m =>
        {
            m.ToTable("Outbox");
            m.Property(x => x.Kind).HasMaxLength(60);
            m.Property(x => x.To).HasMaxLength(100);
            m.Property(x => x.Subject).HasMaxLength(200);
            m.Property(x => x.LastError).HasMaxLength(1000);
            m.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
        });
    }
}
