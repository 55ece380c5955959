using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// A measurement, not a check (skipped unless AMBASSADORS_MEASURE=1): /portal/links for an ambassador in 100 campaigns
/// with 3 content pieces each (400 links), on each engine: server time and page size. Figures in docs/decisions.md.
/// </summary>
public sealed class LinksTimings(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task MyLinksWithAHundredCampaigns(Engine engine)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("AMBASSADORS_MEASURE") == "1", "A measurement: set AMBASSADORS_MEASURE=1 to run it.");
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            await using var app = new AmbassadorsApp(engine, database, $"timings-{Guid.NewGuid():N}");
            var admin = app.Admin();
            var (browser, me, _) = await PortalBrowser.SignedInAsync(app);
            string? first = null;
            for (var c = 0; c < 100; c++)
            {
                var campaign = (await admin.CreateCampaignAsync(name: $"Campaign {c:000}"))["id"].Str();
                first ??= campaign;
                for (var p = 0; p < 3; p++)
                {
                    await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaign}/content", new { title = $"Piece {p} of campaign {c}" }))
                        .AssertJsonAsync(HttpStatusCode.Created);
                }
                await PortalBrowser.EnrolAsync(app, campaign, me);
            }

            foreach (var (label, url) in new[] { ("page 1 of 10 (40 of the 400 links)", "/portal/links"), ("one campaign", $"/portal/links?campaign={first}") })
            {
                var times = new List<double>();
                var bytes = 0;
                for (var run = 0; run < 12; run++)
                {
                    var watch = Stopwatch.StartNew();
                    var response = await browser.GetAsync(url);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    watch.Stop();
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    bytes = body.Length;
                    if (run >= 2) times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                output.WriteLine($"{engine} {label}: median {times[times.Count / 2]:0.0} ms, fastest {times[0]:0.0} ms, {bytes / 1024} KB");
            }
            var qr = new List<double>();
            var code = (await (await admin.GetAsync($"/api/v1/ambassadors/{me}/links")).AssertJsonArrayAsync(HttpStatusCode.OK))[0]!["code"].Str();
            for (var run = 0; run < 22; run++)
            {
                var watch = Stopwatch.StartNew();
                var response = await browser.GetAsync($"/portal/links/{code}/qr.{(run % 2 == 0 ? "png" : "svg")}?network=qr");
                await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                if (run >= 2) qr.Add(watch.Elapsed.TotalMilliseconds);
            }
            qr.Sort();
            output.WriteLine($"{engine} QR image: median {qr[qr.Count / 2]:0.0} ms, fastest {qr[0]:0.0} ms");
        });
    }
}
