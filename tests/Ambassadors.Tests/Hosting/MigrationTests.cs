using System.Text.Json;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ambassadors.Tests.Hosting;

/// <summary>Upgrading a database from its first migration to the latest keeps what it held.</summary>
public class MigrationTests
{
    /// <summary>The last migration before Renovation: the schema every database had before it.</summary>
    private const string BeforeRenovation = "_WorkbookExports";

    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task UpgradingFromTheFirstMigrationKeepsTheData(Engine engine)
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var settings = SettingsFor(engine, database);
            var contexts = new AppDbContextFactory(settings);
            await using (var db = new AppDbContextFactory(settings, OlderModel.Use).CreateDbContext())
            {
                var all = db.Database.GetMigrations().ToList();
                Assert.True(all.Count >= 2, "expected more than one migration to upgrade across");
                await db.GetService<IMigrator>().MigrateAsync(all[0]);
                db.Ambassadors.Add(new Data.Ambassador
                {
                    Id = "amb_upgradekeepsme2", Name = "Early Bird", Email = "early@example.com",
                    NormalizedEmail = "early@example.com", CreatedAt = DateTimeOffset.UtcNow,
                    SocialProfiles = [new Data.SocialProfile { Network = "blog", Handle = "early.example", Followers = 321 }],
                });
                await db.SaveChangesAsync();
            }

            var migrator = new DatabaseMigrator(settings, contexts, NullLogger<DatabaseMigrator>.Instance);
            Assert.NotEmpty(await migrator.PendingMigrationsAsync());
            await migrator.MigrateAsync();
            Assert.Empty(await migrator.PendingMigrationsAsync());

            await using var after = contexts.CreateDbContext();
            var kept = await after.Ambassadors.SingleAsync(a => a.Id == "amb_upgradekeepsme2");
            Assert.Equal("Early Bird", kept.Name);
            Assert.Equal(321, kept.SocialProfiles.Single().Followers);
            Assert.Equal(321, kept.Followers); // the Followers migration's backfill from the stored profiles
        });
    }

    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task AnExistingDatabaseUpgrades(Engine engine)
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var settings = SettingsFor(engine, database);
            var contexts = new AppDbContextFactory(settings);
            // Rows are written and compared through the model as it was (the columns added since are left out).
            var older = new AppDbContextFactory(settings, OlderModel.Use);
            var at = new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);
            List<string> later;
            string before;
            await using (var db = older.CreateDbContext())
            {
                var all = db.Database.GetMigrations().ToList();
                var target = all.Single(id => id.EndsWith(BeforeRenovation, StringComparison.Ordinal));
                later = all.Skip(all.IndexOf(target) + 1).ToList();
                Assert.EndsWith("_Renovation", all[all.IndexOf(target) + 1], StringComparison.Ordinal);
                await db.GetService<IMigrator>().MigrateAsync(target);
                Assert.Equal(1, await RemindersTablesAsync(db));

                db.Campaigns.Add(new Campaign
                {
                    Id = "cmp_upgrade", Name = "Spring", Objective = CampaignObjective.Sales, Status = CampaignStatus.Active,
                    DestinationUrl = "https://shop.example/spring", Currency = "EUR", AttributionWindowDays = 30,
                    HoldingPeriodDays = 14, RewardPerSale = 2.5m, RewardSalePercent = 10m, MemberCount = 1,
                    CreatedAt = at, UpdatedAt = at, Version = 3,
                });
                db.Ambassadors.Add(new Ambassador
                {
                    Id = "amb_upgrade", Name = "Anna", Email = "anna@example.com", NormalizedEmail = "anna@example.com",
                    SocialProfiles = [new SocialProfile { Network = "instagram", Handle = "anna", Followers = 1200 }],
                    CreatedAt = at,
                });
                db.Memberships.Add(new Membership { CampaignId = "cmp_upgrade", AmbassadorId = "amb_upgrade", ReferralCode = "ANNA", JoinedAt = at });
                db.Content.Add(new ContentPiece { Id = "cnt_upgrade", CampaignId = "cmp_upgrade", Title = "Reel", CreatedAt = at });
                db.ReferralCodes.Add(new ReferralCode { Code = "ANNA", AmbassadorId = "amb_upgrade", CampaignId = "cmp_upgrade", CreatedAt = at });
                db.ReferralCodes.Add(new ReferralCode
                {
                    Code = "ANNAREEL", AmbassadorId = "amb_upgrade", CampaignId = "cmp_upgrade", ContentId = "cnt_upgrade", CreatedAt = at,
                });
                await db.SaveChangesAsync();
                await OldConversionAsync(db, at);
                db.Ledger.Add(new LedgerEntry
                {
                    ConversionId = "cnv_upgrade", AmbassadorId = "amb_upgrade", CampaignId = "cmp_upgrade", ContentId = "cnt_upgrade",
                    Kind = LedgerEntryKind.Reward, AmountMinor = 850, Currency = "EUR", State = LedgerEntryState.Open,
                    AvailableAt = at.AddDays(14), CreatedAt = at,
                });
                // The override to the person who referred Anna: second-degree money of the same conversion.
                db.Ambassadors.Add(new Ambassador
                {
                    Id = "amb_referrer", Name = "Bram", Email = "bram@example.com", NormalizedEmail = "bram@example.com", CreatedAt = at,
                });
                db.Ledger.Add(new LedgerEntry
                {
                    ConversionId = "cnv_upgrade", AmbassadorId = "amb_referrer", CampaignId = "cmp_upgrade", ContentId = "cnt_upgrade",
                    Kind = LedgerEntryKind.SecondDegree, AmountMinor = 85, Currency = "EUR", State = LedgerEntryState.Open,
                    AvailableAt = at.AddDays(14), CreatedAt = at,
                });
                await db.SaveChangesAsync();
            }
            await using (var db = older.CreateDbContext())
            {
                before = await RowsAsync(db);
            }

            // The product's path: what the service and `ambassadors migrate` run.
            var migrator = new DatabaseMigrator(settings, contexts, NullLogger<DatabaseMigrator>.Instance);
            Assert.Equal(later, await migrator.PendingMigrationsAsync());
            await migrator.MigrateAsync();
            Assert.Empty(await migrator.PendingMigrationsAsync());

            await using (var db = older.CreateDbContext())
            {
                Assert.Equal(before, await RowsAsync(db));
            }
            await using (var db = contexts.CreateDbContext())
            {
                Assert.Equal(2, await db.ReferralCodes.CountAsync(c => c.AmbassadorId == "amb_upgrade"));
                var entries = await db.Ledger.OrderBy(e => e.AmountMinor).ToListAsync();
                Assert.Equal([85, 850], entries.Select(e => e.AmountMinor));
                // Backfilled from the conversion (LedgerStatsDay): the day the entries count on, and whose money is second degree.
                Assert.All(entries, e => Assert.Equal(new DateOnly(2026, 10, 1), e.CountsOn));
                Assert.Equal([true, false], entries.Select(e => e.SecondDegree));
                Assert.Equal(1200, (await db.Ambassadors.SingleAsync(a => a.Id == "amb_upgrade")).Followers); // backfilled from the stored profiles
                Assert.Null((await db.Conversions.SingleAsync()).RewardNote); // it earned, as it did before
                Assert.Equal(0, await RemindersTablesAsync(db));
                if (engine == Engine.Postgres)
                {
                    Assert.Equal(0, await db.Database
                        .SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM OrleansQuery WHERE QueryKey LIKE '%Reminder%' OR QueryKey LIKE 'ReadRangeRows%'")
                        .SingleAsync());
                }
            }

            // One link per member per content piece: a second one is refused by the database.
            await using (var db = contexts.CreateDbContext())
            {
                db.ReferralCodes.Add(new ReferralCode
                {
                    Code = "ANNAREEL2", AmbassadorId = "amb_upgrade", CampaignId = "cmp_upgrade", ContentId = "cnt_upgrade", CreatedAt = at,
                });
                var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
                Assert.True(DbErrors.IsUniqueViolation(refused), refused.ToString());
                Assert.Contains("ContentId", DbErrors.ConstraintOf(refused));
            }
            await using (var db = older.CreateDbContext())
            {
                Assert.Equal(before, await RowsAsync(db));
            }
        });
    }

    /// <summary>
    /// Applications stored before ApplicationScoreInputs get the followers and engagement their profiles give, as the
    /// score computes them from the profiles, so the review ranks them as it did.
    /// </summary>
    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task ApplicationsStoredBeforeTheirScoreInputsGetThemFromTheirProfiles(Engine engine)
    {
        ApplicantProfile Profile(long followers, decimal? rate) => new() { Network = "instagram", Handle = $"@h{followers}", Followers = followers, EngagementRate = rate };
        List<ApplicantProfile>[] shapes =
        [
            [Profile(1000, 2m), Profile(3000, 8m), Profile(50_000, null)], // weighted by the stating profiles' followers: 0.65
            [Profile(1000, null)],                                          // no rate stated: 0
            [],                                                             // no profile
            [Profile(0, 2m), Profile(0, 4.5m)],                             // stating profiles without followers: a plain average
            [Profile(100, 25m)],                                            // above the cap: 1
            [Profile(-5, 3m), Profile(10, 1.25m)],                          // a negative count counts 0
        ];
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var settings = SettingsFor(engine, database);
            var at = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
            await using (var db = new AppDbContextFactory(settings, OlderModel.Use).CreateDbContext())
            {
                var all = db.Database.GetMigrations().ToList();
                await db.GetService<IMigrator>().MigrateAsync(all[all.IndexOf(all.Single(m => m.EndsWith("_ApplicationScoreInputs", StringComparison.Ordinal))) - 1]);
                db.Campaigns.Add(new Campaign
                {
                    Id = "cmp_scored", Name = "Fiesta", Status = CampaignStatus.Recruiting, DestinationUrl = "https://shop.example/",
                    Currency = "EUR", CreatedAt = at, UpdatedAt = at,
                });
                for (var i = 0; i < shapes.Length; i++)
                {
                    db.Applications.Add(new Application
                    {
                        Id = $"app_scored{i}", CampaignId = "cmp_scored", Name = $"Applicant {i}", Email = $"a{i}@example.com",
                        NormalizedEmail = $"a{i}@example.com", Country = "NL", SocialProfiles = shapes[i], Motivation = "Because.",
                        ConsentedAt = at, SubmittedAt = at.AddMinutes(i),
                    });
                }
                await db.SaveChangesAsync();
            }
            await new DatabaseMigrator(settings, new AppDbContextFactory(settings), NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

            await using var after = new AppDbContextFactory(settings).CreateDbContext();
            var stored = await after.Applications.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(shapes.Length, stored.Count);
            for (var i = 0; i < shapes.Length; i++)
            {
                Assert.Equal(ApplicationScores.CountedFollowers(shapes[i]), stored[i].Followers);
                Assert.Equal(ApplicationScores.Engagement(shapes[i]), stored[i].Engagement, 12);
            }
            Assert.Equal([54_000, 1000, 0, 0, 100, 10], stored.Select(a => a.Followers));
            Assert.Equal([0.65, 0, 0, 0.325, 1, 0.125], stored.Select(a => Math.Round(a.Engagement, 12)));
        });
    }

    /// <summary>A model change without its migration fails here, on each engine, against that engine's snapshot.</summary>
    [Theory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task TheModelHasNoChangesWithoutAMigration(Engine engine)
    {
        // Compares the model with the migrations assembly's snapshot; nothing connects to the database.
        var database = engine == Engine.Sqlite ? "Data Source=:memory:" : "Host=localhost;Database=not_connected";
        await using var db = new AppDbContextFactory(SettingsFor(engine, database)).CreateDbContext();
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model differs from the {engine} snapshot: add a migration to each engine (docs/decisions.md, \"Migrations: one project per engine\").");
    }

    private static StorageSettings SettingsFor(Engine engine, string database) =>
        StorageSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ambassadors:Database"] = engine == Engine.Sqlite ? "sqlite" : "postgres",
            ["ConnectionStrings:Ambassadors"] = database,
        }).Build());

    /// <summary>Every row the upgrade test wrote, as JSON, in a fixed order.</summary>
    private static async Task<string> RowsAsync(AppDbContext db) => JsonSerializer.Serialize(new
    {
        Campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id).ToListAsync(),
        Ambassadors = await db.Ambassadors.AsNoTracking().OrderBy(a => a.Id).ToListAsync(),
        Memberships = await db.Memberships.AsNoTracking().OrderBy(m => m.AmbassadorId).ToListAsync(),
        Content = await db.Content.AsNoTracking().OrderBy(c => c.Id).ToListAsync(),
        ReferralCodes = await db.ReferralCodes.AsNoTracking().OrderBy(c => c.Code).ToListAsync(),
        // The columns every version had (RewardNote came later).
        Conversions = await db.Conversions.AsNoTracking().OrderBy(c => c.Id).Select(c => new
        {
            c.Id, c.ExternalId, c.Kind, c.AmountMinor, c.Currency, c.OccurredAt, c.OccurredOn, c.ReceivedAt, c.AmbassadorId, c.CampaignId,
            c.ContentId, c.ClickId, c.ReferralCode, c.AttributedBy, c.Fingerprint, c.ReversedAt, c.ReversalReason,
        }).ToListAsync(),
        Ledger = await db.Ledger.AsNoTracking().OrderBy(e => e.Id).ToListAsync(),
    });

    /// <summary>
    /// A conversion as the schema before Renovation held it, written in SQL: the current model's INSERT would name columns
    /// that schema does not have yet (RewardNote). SQLite keeps instants as DateTimeOffsetToBinaryConverter's numbers.
    /// </summary>
    private static Task OldConversionAsync(AppDbContext db, DateTimeOffset at)
    {
        const string Insert = """
            INSERT INTO "Conversions" ("Id", "ExternalId", "Kind", "AmountMinor", "Currency", "OccurredAt", "OccurredOn", "ReceivedAt",
                "AmbassadorId", "CampaignId", "ContentId", "ReferralCode", "AttributedBy", "Fingerprint")
            VALUES ('cnv_upgrade', 'order-1', 'sale', 5999, 'EUR', {0}, {1}, {0}, 'amb_upgrade', 'cmp_upgrade', 'cnt_upgrade', 'ANNAREEL',
                'referralCode', {2})
            """;
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        object[] values = db.Engine == StorageEngine.Sqlite
            ? [new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(at)!, day.ToString("yyyy-MM-dd"), new string('f', 64)]
            : [at, day, new string('f', 64)];
        return db.Database.ExecuteSqlRawAsync(Insert, values);
    }

    /// <summary>How many Orleans reminder tables the database has (the Renovation migration drops them).</summary>
    private static Task<int> RemindersTablesAsync(AppDbContext db) => db.Engine == StorageEngine.Sqlite
        ? db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'OrleansReminders'").SingleAsync()
        : db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_name = 'orleansreminderstable'").SingleAsync();
}
