using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace Ambassadors.Tests.Hosting;

/// <summary>Upgrading a database from its first migration to the latest keeps what it held.</summary>
public class MigrationTests
{
    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task UpgradingFromTheFirstMigrationKeepsTheData(Engine engine)
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var settings = StorageSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ambassadors:Database"] = engine == Engine.Sqlite ? "sqlite" : "postgres",
                ["ConnectionStrings:Ambassadors"] = database,
            }).Build());
            var contexts = new AppDbContextFactory(settings);
            await using (var db = contexts.CreateDbContext())
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

            var migrator = new DatabaseMigrator(settings, contexts, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance);
            Assert.NotEmpty(await migrator.PendingMigrationsAsync());
            await migrator.MigrateAsync();
            Assert.Empty(await migrator.PendingMigrationsAsync());

            await using var after = contexts.CreateDbContext();
            var kept = await after.Ambassadors.SingleAsync(a => a.Id == "amb_upgradekeepsme2");
            Assert.Equal("Early Bird", kept.Name);
            Assert.Equal(321, kept.SocialProfiles.Single().Followers);
        });
    }
}
