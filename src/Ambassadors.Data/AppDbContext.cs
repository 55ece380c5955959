using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ambassadors.Data;

/// <summary>
/// The relational model, shared by both engines. Each engine has its own subclass so that its
/// migrations live apart (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<Ambassador> Ambassadors => Set<Ambassador>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ContentPiece> Content => Set<ContentPiece>();
    public DbSet<ReferralCode> ReferralCodes => Set<ReferralCode>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<Click> Clicks => Set<Click>();
    public DbSet<Conversion> Conversions => Set<Conversion>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();
    public DbSet<PayoutDetails> PayoutDetails => Set<PayoutDetails>();
    public DbSet<PayoutBatch> PayoutBatches => Set<PayoutBatch>();
    public DbSet<PayoutLine> PayoutLines => Set<PayoutLine>();
    public DbSet<WorkbookExport> WorkbookExports => Set<WorkbookExport>();
    /// <summary>ASP.NET Core Data Protection keys (sign-in cookies, antiforgery), shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public abstract StorageEngine Engine { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Campaign>(campaign =>
        {
            campaign.HasKey(c => c.Id);
            campaign.Property(c => c.Id).HasMaxLength(40);
            campaign.Property(c => c.Name).HasMaxLength(200);
            campaign.Property(c => c.Objective).HasConversion(LowerCaseEnum<CampaignObjective>()).HasMaxLength(20);
            campaign.Property(c => c.Status).HasConversion(LowerCaseEnum<CampaignStatus>()).HasMaxLength(20);
            campaign.Property(c => c.DestinationUrl).HasMaxLength(2048);
            campaign.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
            campaign.Property(c => c.RewardPerLead).HasPrecision(18, 4);
            campaign.Property(c => c.RewardPerSale).HasPrecision(18, 4);
            campaign.Property(c => c.RewardSalePercent).HasPrecision(9, 4);
            campaign.Property(c => c.RewardSecondDegreePercent).HasPrecision(9, 4);
            campaign.Property(c => c.Version).IsConcurrencyToken();
        });

        builder.Entity<Ambassador>(ambassador =>
        {
            ambassador.HasKey(a => a.Id);
            ambassador.Property(a => a.Id).HasMaxLength(40);
            ambassador.Property(a => a.Name).HasMaxLength(200);
            ambassador.Property(a => a.Email).HasMaxLength(254);
            ambassador.Property(a => a.NormalizedEmail).HasMaxLength(254);
            ambassador.HasIndex(a => a.NormalizedEmail).IsUnique();
            ambassador.OwnsMany(a => a.SocialProfiles, profiles => profiles.ToJson());
        });

        builder.Entity<Membership>(membership =>
        {
            membership.HasKey(m => new { m.CampaignId, m.AmbassadorId });
            membership.Property(m => m.CampaignId).HasMaxLength(40);
            membership.Property(m => m.AmbassadorId).HasMaxLength(40);
            membership.Property(m => m.ReferralCode).HasMaxLength(32);
            membership.HasIndex(m => m.ReferralCode).IsUnique();
            membership.HasIndex(m => m.AmbassadorId);
            membership.Property(m => m.ReferredBy).HasMaxLength(40);
            membership.HasOne<Campaign>().WithMany().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Restrict);
            membership.HasOne<Ambassador>().WithMany().HasForeignKey(m => m.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ContentPiece>(content =>
        {
            content.HasKey(c => c.Id);
            content.Property(c => c.Id).HasMaxLength(40);
            content.Property(c => c.CampaignId).HasMaxLength(40);
            content.Property(c => c.Title).HasMaxLength(200);
            content.Property(c => c.Body).HasMaxLength(20000);
            content.Property(c => c.MediaUrl).HasMaxLength(2048);
            content.Property(c => c.DestinationUrl).HasMaxLength(2048);
            content.HasIndex(c => c.CampaignId);
            content.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ReferralCode>(code =>
        {
            code.HasKey(c => c.Code);
            code.Property(c => c.Code).HasMaxLength(32);
            code.Property(c => c.AmbassadorId).HasMaxLength(40);
            code.Property(c => c.CampaignId).HasMaxLength(40);
            code.Property(c => c.ContentId).HasMaxLength(40);
            code.HasIndex(c => new { c.AmbassadorId, c.CampaignId, c.ContentId });
            code.HasOne<Membership>().WithMany()
                .HasForeignKey(c => new { c.CampaignId, c.AmbassadorId }).OnDelete(DeleteBehavior.Restrict);
            code.HasOne<ContentPiece>().WithMany().HasForeignKey(c => c.ContentId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ApiKey>(key =>
        {
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(40);
            key.Property(k => k.Name).HasMaxLength(200);
            key.Property(k => k.Role).HasConversion(LowerCaseEnum<ApiKeyRole>()).HasMaxLength(20);
            key.Property(k => k.KeyHash).HasMaxLength(64);
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.HasIndex(k => k.KeyHash).IsUnique();
        });

        builder.Entity<AppUser>(user =>
        {
            user.Property(u => u.Role).HasMaxLength(20);
            user.Property(u => u.AmbassadorId).HasMaxLength(40);
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Actor).HasMaxLength(80);
            entry.Property(e => e.ActorName).HasMaxLength(254);
            entry.Property(e => e.Action).HasMaxLength(80);
            entry.Property(e => e.EntityType).HasMaxLength(40);
            entry.Property(e => e.EntityId).HasMaxLength(80);
            entry.HasIndex(e => new { e.EntityType, e.EntityId });
        });

        builder.Entity<Click>(click =>
        {
            click.HasKey(c => c.Id);
            click.Property(c => c.Id).HasMaxLength(40);
            click.Property(c => c.Code).HasMaxLength(32);
            click.Property(c => c.AmbassadorId).HasMaxLength(40);
            click.Property(c => c.CampaignId).HasMaxLength(40);
            click.Property(c => c.ContentId).HasMaxLength(40);
            click.Property(c => c.VisitorId).HasMaxLength(40);
            click.Property(c => c.AddressHash).HasMaxLength(32);
            click.Property(c => c.UserAgent).HasMaxLength(512);
            click.HasIndex(c => c.At);
        });

        builder.Entity<Conversion>(conversion =>
        {
            conversion.HasKey(c => c.Id);
            conversion.Property(c => c.Id).HasMaxLength(40);
            conversion.Property(c => c.ExternalId).HasMaxLength(200);
            // Exactly once: the merchant's id is unique, so a duplicate cannot be stored twice whatever the race.
            conversion.HasIndex(c => c.ExternalId).IsUnique();
            conversion.Property(c => c.Kind).HasConversion(LowerCaseEnum<ConversionKind>()).HasMaxLength(10);
            conversion.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
            conversion.Property(c => c.CustomerId).HasMaxLength(200);
            conversion.Property(c => c.AmbassadorId).HasMaxLength(40);
            conversion.Property(c => c.CampaignId).HasMaxLength(40);
            conversion.Property(c => c.ContentId).HasMaxLength(40);
            conversion.Property(c => c.ClickId).HasMaxLength(40);
            conversion.Property(c => c.ReferralCode).HasMaxLength(32);
            conversion.Property(c => c.AttributedBy).HasMaxLength(20);
            conversion.Property(c => c.Fingerprint).HasMaxLength(64);
            conversion.Property(c => c.ReversalReason).HasMaxLength(500);
            conversion.HasIndex(c => new { c.AmbassadorId, c.OccurredOn });
            conversion.HasIndex(c => new { c.CampaignId, c.OccurredOn });
            conversion.HasIndex(c => new { c.ContentId, c.OccurredOn });
            conversion.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Restrict);
            conversion.HasOne<Ambassador>().WithMany().HasForeignKey(c => c.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<LedgerEntry>(entry =>
        {
            entry.HasKey(e => e.Id);
            entry.Property(e => e.ConversionId).HasMaxLength(40);
            entry.Property(e => e.AmbassadorId).HasMaxLength(40);
            entry.Property(e => e.CampaignId).HasMaxLength(40);
            entry.Property(e => e.ContentId).HasMaxLength(40);
            entry.Property(e => e.Kind).HasConversion(LowerCaseEnum<LedgerEntryKind>()).HasMaxLength(20);
            entry.Property(e => e.State).HasConversion(LowerCaseEnum<LedgerEntryState>()).HasMaxLength(20);
            entry.Property(e => e.Currency).HasMaxLength(3).IsFixedLength();
            // One reward, one override and one clawback of each per conversion and ambassador: a money event counts once.
            entry.HasIndex(e => new { e.ConversionId, e.Kind, e.AmbassadorId }).IsUnique();
            entry.HasIndex(e => e.ReversesEntryId).IsUnique();
            entry.HasIndex(e => new { e.AmbassadorId, e.State });
            entry.HasIndex(e => e.CampaignId);
            entry.HasOne<Conversion>().WithMany().HasForeignKey(e => e.ConversionId).OnDelete(DeleteBehavior.Restrict);
            entry.Property(e => e.PayoutBatchId).HasMaxLength(40);
            entry.HasIndex(e => e.PayoutBatchId);
            entry.HasIndex(e => new { e.State, e.AvailableAt });
            entry.HasOne<PayoutBatch>().WithMany().HasForeignKey(e => e.PayoutBatchId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<PayoutDetails>(details =>
        {
            details.HasKey(d => d.AmbassadorId);
            details.Property(d => d.AmbassadorId).HasMaxLength(40);
            details.Property(d => d.Method).HasConversion(LowerCaseEnum<PayoutMethod>()).HasMaxLength(10);
            details.Property(d => d.LegalName).HasMaxLength(200);
            details.Property(d => d.Country).HasMaxLength(2).IsFixedLength();
            details.Property(d => d.Iban).HasMaxLength(34);
            details.Property(d => d.Bic).HasMaxLength(11);
            details.Property(d => d.PaypalEmail).HasMaxLength(254);
            details.Property(d => d.TaxId).HasMaxLength(50);
            details.Property(d => d.UpdatedBy).HasMaxLength(80);
            details.HasOne<Ambassador>().WithOne().HasForeignKey<PayoutDetails>(d => d.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<PayoutBatch>(batch =>
        {
            batch.HasKey(b => b.Id);
            batch.Property(b => b.Id).HasMaxLength(40);
            batch.Property(b => b.Status).HasConversion(LowerCaseEnum<PayoutBatchStatus>()).HasMaxLength(20);
            batch.Property(b => b.MinimumAmount).HasPrecision(18, 4);
            foreach (var actor in new[] { "CreatedBy", "ApprovedBy", "PaidBy", "DiscardedBy" })
            {
                batch.Property<string>(actor).HasMaxLength(80);
                batch.Property<string>(actor + "Name").HasMaxLength(254);
            }
            batch.Property(b => b.PaymentReference).HasMaxLength(140);
            batch.HasIndex(b => b.CreatedAt);
            batch.OwnsMany(b => b.Totals, totals => totals.ToJson());
            batch.OwnsMany(b => b.MissingDetails, missing => missing.ToJson());
        });

        builder.Entity<WorkbookExport>(export =>
        {
            export.HasKey(e => e.Id);
            export.Property(e => e.Id).HasMaxLength(40);
            export.Property(e => e.BatchId).HasMaxLength(40);
            export.Property(e => e.StartedBy).HasMaxLength(450);
            export.Property(e => e.State).HasConversion(LowerCaseEnum<WorkbookExportState>()).HasMaxLength(20);
            export.Property(e => e.FileName).HasMaxLength(260);
            export.Property(e => e.Error).HasMaxLength(500);
            export.HasIndex(e => e.StartedAt);
        });

        builder.Entity<PayoutLine>(line =>
        {
            line.HasKey(l => l.Id);
            line.Property(l => l.BatchId).HasMaxLength(40);
            line.Property(l => l.AmbassadorId).HasMaxLength(40);
            line.Property(l => l.Currency).HasMaxLength(3).IsFixedLength();
            line.Property(l => l.PaymentReference).HasMaxLength(60);
            line.Property(l => l.Payee).HasMaxLength(200);
            line.Property(l => l.Email).HasMaxLength(254);
            line.Property(l => l.Country).HasMaxLength(2).IsFixedLength();
            line.Property(l => l.Method).HasConversion(LowerCaseEnum<PayoutMethod>()).HasMaxLength(10);
            line.Property(l => l.Iban).HasMaxLength(34);
            line.Property(l => l.Bic).HasMaxLength(11);
            line.Property(l => l.PaypalEmail).HasMaxLength(254);
            line.Property(l => l.TaxId).HasMaxLength(50);
            // One line per payee and currency in a batch.
            line.HasIndex(l => new { l.BatchId, l.AmbassadorId, l.Currency }).IsUnique();
            line.HasIndex(l => new { l.BatchId, l.Number }).IsUnique();
            line.HasIndex(l => l.PaymentReference).IsUnique();
            line.HasOne<PayoutBatch>().WithMany().HasForeignKey(l => l.BatchId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private static ValueConverter<TEnum, string> LowerCaseEnum<TEnum>() where TEnum : struct, Enum =>
        new(value => value.ToString().ToLowerInvariant(), stored => Enum.Parse<TEnum>(stored, true));
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    public override StorageEngine Engine => StorageEngine.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native offset-aware timestamp; a UTC tick count keeps ordering and comparison in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    public override StorageEngine Engine => StorageEngine.Postgres;
}
