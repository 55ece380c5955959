using System.Net;
using Ambassadors.Data;
using Ambassadors.Web.Portal;
using static Ambassadors.Tests.Portal.StatsHtml;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// /portal/stats and /portal/stats/{campaignId}: the signed-in ambassador's own figures from real clicks and a merchant's
/// conversions, per campaign and per link, adding up to the totals; the people they brought in; the leaderboard with
/// others by first name and initial only; 404 for anything that is not theirs, /login for nobody.
/// </summary>
public abstract class StatsTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task MyFiguresPerCampaignAreMineAloneAndAddUpToMyTotals()
    {
        var world = await PortalStatsWorld.CreateAsync(App);
        var html = await world.Anna.GetPageAsync("/portal/stats");

        // Anna's five clicks (the link preview is not one), three visitors, a lead, two sales; Bram's and Carla's 13 clicks
        // in the same campaign are not hers.
        Assert.Equal("5 | 3 | 1 | 2 | 60% | 100.00 EUR, 50.00 USD", Figures(Part(html, "totals", "</section>")));
        var fiesta = Part(html, $"campaign-{world.Fiesta}");
        var vogue = Part(html, $"campaign-{world.Vogue}");
        Assert.Equal("4 | 2 | 1 | 1 | 50% | 100.00 EUR", Figures(fiesta));
        Assert.Equal("1 | 1 | 0 | 1 | 100% | 50.00 USD", Figures(vogue));
        Assert.Contains($"href=\"/portal/stats/{world.Fiesta}\">Fiesta Movement</a>", fiesta);
        Assert.Contains("active", Text(vogue));

        Assert.Equal("5,000 followers on your social profiles", Text(Part(html, "potential-reach", "</dd>")));
        Assert.Equal("3 unique visitors through your links", Text(Part(html, "measured-reach", "</dd>")));

        // The chart: 30 days, today's five clicks and three sales-and-leads.
        Assert.Contains("data-testid=\"daily-chart\" data-days=\"30\"", html);
        Assert.Contains($"{Ambassadors.Web.Http.Pages.Display.Date(DateOnly.FromDateTime(DateTime.UtcNow))}: 5 clicks, 3 unique visitors, 1 leads, 2 sales", html);

        // Her campaign page: the piece's link and the campaign's own link add up to the campaign.
        var page = await world.Anna.GetPageAsync($"/portal/stats/{world.Fiesta}");
        Assert.Equal("4 | 2 | 1 | 1 | 50% | 100.00 EUR", Figures(Part(page, "totals", "</section>")));
        var links = Parts(page, "link");
        Assert.Equal(2, links.Count);
        Assert.StartsWith($"Campaign link Code {world.FiestaCode}", Text(links[0]));
        Assert.Equal("1 | 1 | 1 | 0 | 100% | nothing", Figures(links[0]));
        Assert.StartsWith($"Autumn lookbook Code {world.PieceCode}", Text(links[1]));
        Assert.Equal("3 | 1 | 0 | 1 | 33.3% | 100.00 EUR", Figures(links[1]));

        var other = await world.Anna.GetPageAsync($"/portal/stats/{world.Vogue}");
        Assert.Equal("1 | 1 | 0 | 1 | 100% | 50.00 USD", Figures(Part(other, "totals", "</section>")));
    }

    [SkippableFact]
    public async Task TheLeaderboardRanksBySalesThenLeadsThenClicksAndNamesOthersByFirstNameAndInitialOnly()
    {
        var world = await PortalStatsWorld.CreateAsync(App);
        var page = await world.Anna.GetPageAsync($"/portal/stats/{world.Fiesta}");

        Assert.Equal("You are 2nd of 4.", Text(Part(page, "my-rank", "</p>")));
        Assert.Equal(
        [
            "1st Bram J. 2 sales · 1 lead · 3 clicks",
            "2nd Anna V. you 1 sale · 1 lead · 4 clicks",
            "3rd Carla S. 1 sale · 0 leads · 10 clicks",
            "4th Dirk B. 0 sales · 0 leads · 0 clicks",
        ], Parts(page, "board-row").Select(Text).ToList());

        // Nothing that identifies another member: no email, code, id or full name, on either page.
        var overview = await world.Anna.GetPageAsync("/portal/stats");
        foreach (var html in new[] { page, overview })
        {
            foreach (var member in world.Others)
            {
                Assert.DoesNotContain(member.Email, html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(member.Code, html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(member.Id, html, StringComparison.Ordinal);
                Assert.DoesNotContain(member.Name, html, StringComparison.Ordinal);
            }
        }

        // In Dutch the rank is Humanizer's Dutch ordinal.
        world.Anna.Client.DefaultRequestHeaders.Add("Accept-Language", "nl");
        var dutch = await world.Anna.GetPageAsync($"/portal/stats/{world.Fiesta}");
        Assert.Equal("Je staat 2e van de 4.", Text(Part(dutch, "my-rank", "</p>")));
        Assert.Equal("1e Bram J. 2 verkopen · 1 lead · 3 kliks", Text(Parts(dutch, "board-row")[0]));
        Assert.Contains("Ranglijst", dutch);
    }

    [SkippableFact]
    public async Task PeopleIBroughtInShowWithWhatTheyCausedAndMyShareOfIt()
    {
        var world = await PortalStatsWorld.CreateAsync(App);
        var html = await world.Anna.GetPageAsync("/portal/stats");

        var referred = Part(html, "referred", "</section>");
        // Bram's two 100 EUR sales earned him 15.00 EUR each and his lead 2.00: Anna's 10 % is 1.50 + 1.50 + 0.20.
        Assert.Equal("1 person · 1 lead · 2 sales · Your share: 3.20 EUR", Text(Part(referred, "referred-total", "</p>")));
        var bram = Text(Part(referred, "referred-member"));
        Assert.StartsWith("Bram J. Joined Fiesta Movement", bram);
        Assert.EndsWith("1 lead · 2 sales · Your share: 3.20 EUR", bram);

        // Carla, whom nobody referred, earns Anna nothing; a member without referrals sees that nobody joined through them.
        var (carla, _, _) = await PortalBrowser.SignedInAsync(App, world.Fiesta, "Eva Peeters");
        Assert.Contains("Nobody has joined a campaign through your link yet.", await carla.GetPageAsync("/portal/stats"));
    }

    [SkippableFact]
    public async Task ACampaignIWasNeverInAndAGuessedIdAnswer404AndNobodyGetsInWithoutSigningIn()
    {
        var fiesta = (await App.Admin().CreateCampaignAsync(name: "Fiesta Movement"))["id"].Str();
        var theirs = (await App.Admin().CreateCampaignAsync(name: "Secret Launch"))["id"].Str();
        var (other, _, _) = await PortalBrowser.SignedInAsync(App, theirs, "Bram Jansen");
        var (me, meId, _) = await PortalBrowser.SignedInAsync(App, fiesta);

        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync($"/portal/stats/{fiesta}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/portal/stats/{theirs}")).StatusCode);
        foreach (var path in new[] { $"/portal/stats/{theirs}", "/portal/stats/cmp_abcdefghijkmnpqr", $"/portal/stats/{meId}", "/portal/stats/anything" })
        {
            var refused = await me.GetAsync(path);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)refused.StatusCode}");
            Assert.DoesNotContain("Secret Launch", await refused.Content.ReadAsStringAsync());
        }

        // A removed member still sees their results, and is no longer ranked.
        Assert.Equal(HttpStatusCode.NoContent, (await App.Admin().DeleteAsync($"/api/v1/campaigns/{fiesta}/ambassadors/{meId}")).StatusCode);
        var removed = await me.GetPageAsync($"/portal/stats/{fiesta}");
        Assert.Contains("data-testid=\"removed\"", removed);
        Assert.Contains("Only current members are on the leaderboard.", removed);

        foreach (var path in new[] { "/portal/stats", $"/portal/stats/{fiesta}" })
        {
            var anonymous = await StaffBrowser.Open(App).GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal($"/login?ReturnUrl={Uri.EscapeDataString(path)}", anonymous.Headers.Location!.PathAndQuery);
        }
        var (staff, _) = await StaffBrowser.SignedInAsync(App, "manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/portal/stats")).StatusCode);
    }

    [Fact]
    public void EqualFiguresShareARankAndTheNextRankSkips()
    {
        var members = new[] { ("amb_a", "Anna de Vries"), ("amb_b", "Bram Jansen"), ("amb_c", "Carla Smit"), ("amb_d", "Dirk de Boer") };
        var conversions = new[] { ("amb_a", ConversionKind.Sale, 1L), ("amb_b", ConversionKind.Sale, 1L), ("amb_c", ConversionKind.Lead, 5L) };
        var clicks = new Dictionary<string, long> { ["amb_a"] = 7, ["amb_b"] = 7, ["amb_c"] = 100, ["amb_d"] = 1 };
        var board = PortalStats.Rank(members, conversions, clicks, "amb_b");
        Assert.Equal(["1 Anna V.", "1 Bram J. (me)", "3 Carla S.", "4 Dirk B."],
            board.Select(r => $"{r.Rank} {r.Name}{(r.Me ? " (me)" : "")}").ToList());
    }
}

public sealed class StatsOnSqlite(SqliteFixture fixture) : StatsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class StatsOnPostgres(PostgresFixture fixture) : StatsTests(fixture), IClassFixture<PostgresFixture>;
