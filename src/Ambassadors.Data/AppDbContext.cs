using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ambassadors.Data;

/// <summary>
/// The relational model, shared by both engines. Each engine has its own subclass so that its
/// migrations live apart (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>), each set in its
/// own project (Ambassadors.Data.Sqlite, Ambassadors.Data.Postgres) that this one does not reference.
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
    public DbSet<ConversionCount> ConversionCounts => Set<ConversionCount>();
    public DbSet<RewardCount> RewardCounts => Set<RewardCount>();
    public DbSet<PayoutDetails> PayoutDetails => Set<PayoutDetails>();
    public DbSet<PayoutBatch> PayoutBatches => Set<PayoutBatch>();
    public DbSet<PayoutLine> PayoutLines => Set<PayoutLine>();
    public DbSet<WorkbookExport> WorkbookExports => Set<WorkbookExport>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<Mission> Missions => Set<Mission>();
    public DbSet<MissionSubmission> MissionSubmissions => Set<MissionSubmission>();
    public DbSet<FeedbackEntry> Feedback => Set<FeedbackEntry>();
    /// <summary>ASP.NET Core Data Protection keys (sign-in cookies, antiforgery), shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public abstract StorageEngine Engine { get; }

    // Every save keeps the ambassadors' derived followers total (whichever path changed the profiles: the grain, the import,
    // an accepted application, the portal's profile page), and the applications' score inputs from their profiles.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Ambassador.KeepFollowers(this);
        Application.KeepScoreInputs(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Ambassador.KeepFollowers(this);
        Application.KeepScoreInputs(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Each entity's mapping lives beside it, in its concept's folder (Campaigns/Campaign.cs, ...).
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    /// <summary>The project holding this engine's migrations; EF Core loads it by name.</summary>
    public const string MigrationsAssembly = "Ambassadors.Data.Sqlite";

    public override StorageEngine Engine => StorageEngine.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native offset-aware timestamp; a UTC tick count keeps ordering and comparison in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    /// <summary>The project holding this engine's migrations; EF Core loads it by name.</summary>
    public const string MigrationsAssembly = "Ambassadors.Data.Postgres";

    public override StorageEngine Engine => StorageEngine.Postgres;
}
