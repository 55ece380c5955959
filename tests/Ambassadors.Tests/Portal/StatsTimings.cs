using System.Diagnostics;
using Ambassadors.Data;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// A measurement, not a check (skipped unless AMBASSADORS_MEASURE=1): /portal/stats and /portal/stats/{campaignId} for an
/// ambassador with 100 campaigns' worth of data, on each engine. Each campaign: 10 other members, a content piece, real clicks
/// through Anna's two links (so her grain holds 100 campaigns of counters), 20 of her conversions and 2 of each other member,
/// and one member Anna brought in with 2 sales and her overrides. Figures in docs/decisions.md ("My stats").
/// </summary>
public sealed class StatsTimings(ITestOutputHelper output)
{
    private const int Campaigns = 100;

    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task MyStatsWithAHundredCampaigns(Engine engine)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("AMBASSADORS_MEASURE") == "1", "A measurement: set AMBASSADORS_MEASURE=1 to run it.");
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            await using var app = new AmbassadorsApp(engine, database, $"timings-{Guid.NewGuid():N}");
            var (anna, annaId, _) = await PortalBrowser.SignedInAsync(app, followers: 12_000);
            var now = DateTimeOffset.UtcNow;
            var codes = new List<string>();
            var campaignIds = new List<string>();
            await using (var db = app.Db())
            {
                for (var c = 0; c < Campaigns; c++)
                {
                    var campaign = Ids.New("cmp");
                    campaignIds.Add(campaign);
                    db.Campaigns.Add(new Campaign
                    {
                        Id = campaign, Name = $"Campaign {c}", DestinationUrl = "https://shop.example/", Currency = "EUR", Status = CampaignStatus.Active,
                        AttributionWindowDays = 30, HoldingPeriodDays = 14, RewardPerSale = 10, RewardSecondDegreePercent = 10, MemberCount = 12,
                        CreatedAt = now, UpdatedAt = now, Version = 1,
                    });
                    var piece = Ids.New("cnt");
                    db.Content.Add(new ContentPiece { Id = piece, CampaignId = campaign, Title = $"Piece {c}", CreatedAt = now });
                    void Member(string ambassador, string code, string? referredBy, int conversions)
                    {
                        db.Memberships.Add(new Membership { CampaignId = campaign, AmbassadorId = ambassador, ReferralCode = code, JoinedAt = now, ReferredBy = referredBy });
                        db.ReferralCodes.Add(new ReferralCode { Code = code, AmbassadorId = ambassador, CampaignId = campaign, CreatedAt = now });
                        for (var i = 0; i < conversions; i++)
                        {
                            var conversion = Ids.New("cnv");
                            db.Conversions.Add(new Conversion
                            {
                                Id = conversion, ExternalId = $"t-{conversion}", Kind = i % 4 == 0 ? ConversionKind.Lead : ConversionKind.Sale,
                                AmountMinor = i % 4 == 0 ? null : 5_000 + i, Currency = "EUR", AmbassadorId = ambassador, CampaignId = campaign,
                                ReferralCode = code, AttributedBy = "referralCode", Fingerprint = conversion,
                                OccurredAt = now.AddDays(-(i % 40)), OccurredOn = DateOnly.FromDateTime(now.AddDays(-(i % 40)).UtcDateTime), ReceivedAt = now,
                            });
                            if (referredBy is not null)
                            {
                                db.Ledger.Add(new LedgerEntry
                                {
                                    ConversionId = conversion, AmbassadorId = referredBy, CampaignId = campaign, Kind = LedgerEntryKind.SecondDegree,
                                    AmountMinor = 100, Currency = "EUR", AvailableAt = now.AddDays(14), CreatedAt = now,
                                });
                            }
                        }
                    }
                    var annaCode = $"TA{c:000}X";
                    codes.Add(annaCode);
                    Member(annaId, annaCode, null, 20);
                    var pieceCode = $"TP{c:000}X";
                    db.ReferralCodes.Add(new ReferralCode { Code = pieceCode, AmbassadorId = annaId, CampaignId = campaign, ContentId = piece, CreatedAt = now });
                    codes.Add(pieceCode);
                    for (var m = 0; m < 11; m++)
                    {
                        var other = Ids.New("amb");
                        db.Ambassadors.Add(new Ambassador { Id = other, Name = $"Member {c}-{m} Jansen", Email = $"{other}@example.com", NormalizedEmail = $"{other}@example.com", CreatedAt = now });
                        Member(other, $"TM{c:000}{m:00}X", m == 0 ? annaId : null, 2);
                    }
                }
                await db.SaveChangesAsync();
            }
            var visitor = app.Visitor();
            foreach (var code in codes)
            {
                for (var i = 0; i < 3; i++) await visitor.ClickAsync(code);
            }
            await app.Admin().StatsWhenAsync($"/api/v1/ambassadors/{annaId}/stats", s => s["clicks"].Long() == codes.Count * 3);

            foreach (var (label, url) in new[] { ("/portal/stats", "/portal/stats"), ("/portal/stats/{campaignId}", $"/portal/stats/{campaignIds[50]}") })
            {
                var times = new List<double>();
                for (var run = 0; run < 22; run++)
                {
                    var watch = Stopwatch.StartNew();
                    var response = await anna.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    watch.Stop();
                    Assert.True(response.IsSuccessStatusCode, $"{label}: {(int)response.StatusCode}");
                    if (run >= 2) times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                output.WriteLine($"{engine} {Campaigns} campaigns, {label}: median {times[times.Count / 2]:0.0} ms, fastest {times[0]:0.0} ms, " +
                                 $"slowest {times[^1]:0.0} ms (20 runs after 2 warm-ups); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            }
            // The reads alone (no page to render): PortalStats' queries and grain calls.
            var stats = new Ambassadors.Web.Portal.PortalStats(
                app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>(),
                app.Services.GetRequiredService<IGrainFactory>(), TimeProvider.System);
            foreach (var (label, read) in new (string, Func<Task>)[]
                     {
                         ("PortalStats.ForAsync", () => stats.ForAsync(annaId, CancellationToken.None)),
                         ("PortalStats.ForCampaignAsync", () => stats.ForCampaignAsync(annaId, campaignIds[50], CancellationToken.None)),
                     })
            {
                var times = new List<double>();
                for (var run = 0; run < 22; run++)
                {
                    var watch = Stopwatch.StartNew();
                    await read();
                    if (run >= 2) times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                output.WriteLine($"{engine} {Campaigns} campaigns, {label} alone: median {times[times.Count / 2]:0.0} ms, fastest {times[0]:0.0} ms");
            }
            var health = new List<double>();
            for (var run = 0; run < 22; run++)
            {
                var watch = Stopwatch.StartNew();
                await (await anna.GetAsync("/health")).Content.ReadAsByteArrayAsync();
                if (run >= 2) health.Add(watch.Elapsed.TotalMilliseconds);
            }
            health.Sort();
            output.WriteLine($"{engine} GET /health in the same process: median {health[health.Count / 2]:0.0} ms");
        });
    }
}
