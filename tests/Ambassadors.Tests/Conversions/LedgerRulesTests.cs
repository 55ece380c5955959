using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ambassadors.Tests.Conversions;

/// <summary>The ledger's rules give the same answers in memory and in SQL, on each engine.</summary>
public class LedgerRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One entry per case, named by its conversion id (the entry's own id is the database's).</summary>
    private static List<LedgerEntry> Entries() =>
    [
        Entry("pending", LedgerEntryKind.Reward, LedgerEntryState.Open, Now.AddDays(1)),
        Entry("approved", LedgerEntryKind.Reward, LedgerEntryState.Open, Now.AddDays(-1)),
        Entry("due-now", LedgerEntryKind.SecondDegree, LedgerEntryState.Open, Now),
        Entry("batched", LedgerEntryKind.Reward, LedgerEntryState.Open, Now.AddDays(-2), batch: "pay_rules"),
        Entry("paid", LedgerEntryKind.Reward, LedgerEntryState.Paid, Now.AddDays(-10), batch: "pay_rules"),
        Entry("voided", LedgerEntryKind.Reward, LedgerEntryState.Voided, Now.AddDays(-1)),
        Entry("clawback", LedgerEntryKind.Clawback, LedgerEntryState.Open, Now.AddHours(-1), amount: -300),
    ];

    private static readonly Dictionary<string, LedgerStatus> Statuses = new()
    {
        ["pending"] = LedgerStatus.Pending, ["approved"] = LedgerStatus.Approved, ["due-now"] = LedgerStatus.Approved,
        ["batched"] = LedgerStatus.Approved, ["paid"] = LedgerStatus.Paid, ["voided"] = LedgerStatus.Voided,
        ["clawback"] = LedgerStatus.Approved,
    };

    private static LedgerEntry Entry(string name, LedgerEntryKind kind, LedgerEntryState state, DateTimeOffset availableAt,
        string? batch = null, long amount = 1000) => new()
    {
        ConversionId = $"cnv_{name}", AmbassadorId = "amb_rules", CampaignId = "cmp_rules", Kind = kind, AmountMinor = amount,
        Currency = "EUR", State = state, AvailableAt = availableAt, CreatedAt = Now.AddDays(-20), PayoutBatchId = batch,
    };

    /// <summary>Which entries each rule picks, by name.</summary>
    private static readonly (string Rule, System.Linq.Expressions.Expression<Func<LedgerEntry, bool>> Filter, string[] Expected)[] Rules =
    [
        ("payable now", LedgerRules.Payable(Now), ["approved", "due-now", "clawback"]),
        ("payable a day ago", LedgerRules.Payable(Now.AddDays(-1)), ["approved"]),
        ("pending", LedgerRules.Pending(Now), ["pending"]),
        ("approved", LedgerRules.Approved(Now), ["approved", "due-now", "batched", "clawback"]),
        ("paid", LedgerRules.Paid, ["paid"]),
        ("voided on reversal", LedgerRules.VoidedOnReversal, ["pending", "approved", "due-now"]),
        ("clawed back on reversal", LedgerRules.ClawedBackOnReversal, ["batched", "paid"]),
    ];

    [Fact]
    public void InMemory()
    {
        var entries = Entries();
        foreach (var (rule, filter, expected) in Rules)
        {
            Assert.True(Sorted(expected).SequenceEqual(Sorted(entries.Where(filter.Compile()).Select(Name))), rule);
        }
        foreach (var entry in entries)
        {
            Assert.Equal(Statuses[Name(entry)], LedgerRules.StatusOf(entry, Now));
            Assert.Equal(Statuses[Name(entry)], LedgerRules.Status(Now).Compile()(entry));
        }
        Assert.Equal(["pending", "approved", "paid", "voided"], Enum.GetValues<LedgerStatus>().Select(s => s.Name()));
    }

    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task ThroughEfCore(Engine engine)
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var settings = StorageSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ambassadors:Database"] = engine == Engine.Sqlite ? "sqlite" : "postgres",
                ["ConnectionStrings:Ambassadors"] = database,
            }).Build());
            var contexts = new AppDbContextFactory(settings);
            await new DatabaseMigrator(settings, contexts, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            await SeedAsync(contexts);

            await using var db = contexts.CreateDbContext();
            foreach (var (rule, filter, expected) in Rules)
            {
                var found = await db.Ledger.Where(filter).Select(e => e.ConversionId).ToListAsync();
                Assert.True(Sorted(expected).SequenceEqual(Sorted(found.Select(id => id!["cnv_".Length..]))), $"{rule}: {string.Join(", ", found)}");
            }

            // The status as a column of the query, and as a GroupBy key.
            var statuses = await db.Ledger.WithStatus(Now).Select(x => new { x.Entry.ConversionId, x.Status }).ToListAsync();
            Assert.Equal(Statuses.Count, statuses.Count);
            Assert.All(statuses, s => Assert.Equal(Statuses[s.ConversionId!["cnv_".Length..]], s.Status));
            var byStatus = await db.Ledger.GroupBy(LedgerRules.Status(Now))
                .Select(g => new { Status = g.Key, Amount = g.Sum(e => e.AmountMinor) }).ToListAsync();
            Assert.Equal(
                Expected(e => true),
                byStatus.OrderBy(g => g.Status).Select(g => (g.Status, g.Amount)));

            // StatsService's shape: entries joined to their conversions, grouped by status with other keys.
            var rows = await db.Ledger.Where(e => e.State != LedgerEntryState.Voided).WithStatus(Now)
                .Join(db.Conversions, x => x.Entry.ConversionId, c => c.Id, (x, c) => new { x.Entry, x.Status, c.AmbassadorId, c.OccurredOn })
                .GroupBy(x => new { Second = x.Entry.AmbassadorId != x.AmbassadorId, x.Status, x.Entry.Currency })
                .Select(g => new { g.Key.Second, g.Key.Status, g.Key.Currency, Amount = g.Sum(x => x.Entry.AmountMinor) })
                .ToListAsync();
            Assert.All(rows, r => Assert.False(r.Second));
            Assert.All(rows, r => Assert.Equal("EUR", r.Currency));
            Assert.Equal(
                Expected(e => e.State != LedgerEntryState.Voided),
                rows.OrderBy(r => r.Status).Select(r => (r.Status, r.Amount)));
        });
    }

    /// <summary>Sums per status of the sample entries, computed in memory.</summary>
    private static IEnumerable<(LedgerStatus, long)> Expected(Func<LedgerEntry, bool> which) => Entries().Where(which)
        .GroupBy(e => Statuses[Name(e)]).OrderBy(g => g.Key).Select(g => (g.Key, g.Sum(e => e.AmountMinor)));

    private static string Name(LedgerEntry entry) => entry.ConversionId!["cnv_".Length..];

    private static IEnumerable<string> Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal);

    private static async Task SeedAsync(IDbContextFactory<AppDbContext> contexts)
    {
        await using var db = contexts.CreateDbContext();
        db.Campaigns.Add(new Campaign
        {
            Id = "cmp_rules", Name = "Rules", DestinationUrl = "https://shop.example/", Currency = "EUR",
            Status = CampaignStatus.Active, CreatedAt = Now, UpdatedAt = Now,
        });
        db.Ambassadors.Add(new Ambassador { Id = "amb_rules", Name = "Rules", Email = "rules@example.com", NormalizedEmail = "rules@example.com", CreatedAt = Now });
        db.PayoutBatches.Add(new PayoutBatch
        {
            Id = "pay_rules", Status = PayoutBatchStatus.Approved, PeriodEnd = DateOnly.FromDateTime(Now.UtcDateTime), Cutoff = Now,
            CreatedAt = Now, CreatedBy = "test", CreatedByName = "test",
        });
        foreach (var entry in Entries())
        {
            db.Conversions.Add(new Conversion
            {
                Id = entry.ConversionId!, ExternalId = $"order-{Name(entry)}", Kind = ConversionKind.Lead, Currency = "EUR",
                OccurredAt = Now.AddDays(-20), OccurredOn = DateOnly.FromDateTime(Now.AddDays(-20).UtcDateTime), ReceivedAt = Now,
                AmbassadorId = "amb_rules", CampaignId = "cmp_rules", ReferralCode = "RULES", AttributedBy = "referralCode", Fingerprint = "rules",
            });
            db.Ledger.Add(entry);
        }
        await db.SaveChangesAsync();
    }
}
