using System.Diagnostics;
using Ambassadors.Data;
using Xunit.Abstractions;
using static Ambassadors.Tests.Recruitment.RecruitmentSteps;

namespace Ambassadors.Tests.Recruitment;

/// <summary>
/// A measurement, not a check (skipped unless AMBASSADORS_MEASURE=1): the review page's server time with 4,000 applicants,
/// 500 of them already ambassadors with leads in another campaign, on each engine. Figures in docs/decisions.md.
/// </summary>
public sealed class ReviewTimings(ITestOutputHelper output)
{
    private const int Applicants = 4_000;

    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task TheReviewPageWithFourThousandApplicants(Engine engine)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("AMBASSADORS_MEASURE") == "1", "A measurement: set AMBASSADORS_MEASURE=1 to run it.");
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            await using var app = new AmbassadorsApp(engine, database, $"timings-{Guid.NewGuid():N}");
            var campaign = await RecruitingCampaignAsync(app, capacity: 100, targetCountries: ["NL", "BE"]);
            var earlier = await RecruitingCampaignAsync(app, name: "Earlier");
            var random = new Random(12);
            var ids = await SeedAsync(app, campaign, Applicants, i => new Application
            {
                Id = Ids.New("app"), CampaignId = campaign, Name = $"Applicant {i}", Email = $"applicant{i}@example.com",
                NormalizedEmail = $"applicant{i}@example.com", Country = (i % 4) switch { 0 => "BE", 1 => "DE", _ => "NL" },
                Motivation = new string('m', 600), Status = ApplicationStatus.New, MotivationRating = i % 3 == 0 ? i % 6 : null,
                SocialProfiles =
                [
                    new ApplicantProfile { Network = "instagram", Handle = $"@a{i}", Followers = random.Next(50, 2_000_000), EngagementRate = i % 2 == 0 ? 3.2m : null },
                    new ApplicantProfile { Network = "tiktok", Handle = $"@t{i}", Followers = random.Next(0, 500_000) },
                ],
                SampleLinks = ["https://example.com/a", "https://example.com/b"],
                SubmittedAt = DateTimeOffset.UtcNow.AddMinutes(-i), ConsentedAt = DateTimeOffset.UtcNow.AddMinutes(-i), ConsentedTerms = Terms, Version = 1,
            });
            await using (var db = app.Db())
            {
                for (var i = 0; i < 500; i++)
                {
                    var ambassador = Ids.New("amb");
                    db.Ambassadors.Add(new Ambassador { Id = ambassador, Name = $"Applicant {i}", Email = $"applicant{i}@example.com", NormalizedEmail = $"applicant{i}@example.com", CreatedAt = DateTimeOffset.UtcNow });
                    db.Memberships.Add(new Membership { CampaignId = earlier, AmbassadorId = ambassador, ReferralCode = $"PAST{i:0000}", JoinedAt = DateTimeOffset.UtcNow });
                    db.ReferralCodes.Add(new ReferralCode { Code = $"PAST{i:0000}", AmbassadorId = ambassador, CampaignId = earlier, CreatedAt = DateTimeOffset.UtcNow });
                    for (var c = 0; c < 1 + i % 5; c++)
                    {
                        db.Conversions.Add(new Conversion
                        {
                            Id = Ids.New("cnv"), ExternalId = $"past-{i}-{c}", Kind = ConversionKind.Lead, Currency = "EUR", AmbassadorId = ambassador,
                            CampaignId = earlier, ReferralCode = $"PAST{i:0000}", AttributedBy = "referralCode", Fingerprint = $"{i}-{c}",
                            OccurredAt = DateTimeOffset.UtcNow, OccurredOn = DateOnly.FromDateTime(DateTime.UtcNow), ReceivedAt = DateTimeOffset.UtcNow,
                        });
                    }
                }
                await db.SaveChangesAsync();
            }
            var manager = StaffBrowser.Open(app);
            await manager.SignInAsync(await ManagerAsync(app), StaffBrowser.Password);

            foreach (var (label, url) in new[]
                     {
                         ("by score, page 1", $"/manage/campaigns/{campaign}/applications"),
                         ("by score, page 40", $"/manage/campaigns/{campaign}/applications?p=40"),
                         ("NL, score >= 1.5", $"/manage/campaigns/{campaign}/applications?country=NL&minScore=1.5"),
                         ("by date", $"/manage/campaigns/{campaign}/applications?sort=date"),
                         ("API list (all 4,000)", ""),
                     })
            {
                var times = new List<double>();
                for (var run = 0; run < 12; run++)
                {
                    var watch = Stopwatch.StartNew();
                    var response = url == "" ? await app.Admin().GetAsync($"/api/v1/campaigns/{campaign}/applications") : await manager.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    watch.Stop();
                    Assert.True(response.IsSuccessStatusCode, $"{label}: {(int)response.StatusCode}");
                    if (run >= 2) times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                output.WriteLine($"{engine} {Applicants} applicants, {label}: median {times[times.Count / 2]:0} ms, fastest {times[0]:0} ms, slowest {times[^1]:0} ms (10 runs after 2 warm-ups)");
            }
            // The query and the score alone (no page to render): one read of the applications, one of past results.
            var query = new List<double>();
            for (var run = 0; run < 12; run++)
            {
                await using var db = app.Db();
                var record = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Campaigns, c => c.Id == campaign);
                var watch = Stopwatch.StartNew();
                var review = await Ambassadors.Web.Recruitment.Review.ListAsync(db, record, new Ambassadors.Web.Recruitment.ReviewQuery(Take: 50), CancellationToken.None, details: true);
                watch.Stop();
                Assert.Equal(Applicants, review.Total);
                if (run >= 2) query.Add(watch.Elapsed.TotalMilliseconds);
            }
            query.Sort();
            output.WriteLine($"{engine} {Applicants} applicants, Review.ListAsync alone: median {query[query.Count / 2]:0} ms, fastest {query[0]:0} ms; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Assert.Equal(Applicants, ids.Count);
        });
    }
}
