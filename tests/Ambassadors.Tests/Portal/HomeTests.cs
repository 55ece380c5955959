using System.Globalization;
using System.Net;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// The portal's home: what happened since the previous visit in plain phrases (English and Dutch) from real clicks and
/// conversions, the visit rule (30 minutes), earnings at a glance with the next approval, and the current campaigns.
/// </summary>
public abstract class HomeTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static string Day(int offset) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(offset).ToString("yyyy-MM-dd");

    private async Task<string> CampaignAsync(string name, int holdingPeriodDays = 30, string? endsOn = null)
    {
        var created = await (await App.Admin().PostJsonAsync("/api/v1/campaigns", new
        {
            name,
            objective = "sales",
            destinationUrl = "https://shop.example/fiesta?utm_source=ambassadors",
            currency = "EUR",
            startsOn = Day(-10),
            endsOn = endsOn ?? Day(21),
            holdingPeriodDays,
            rewards = new { perLead = 2, perSale = 10 },
        })).AssertJsonAsync(HttpStatusCode.Created);
        return created["id"].Str();
    }

    /// <summary>Moves the ambassador's latest visit back, as if they had last looked <paramref name="ago"/>.</summary>
    private async Task LastVisitedAsync(string ambassadorId, TimeSpan ago)
    {
        await using var db = App.Db();
        var at = DateTimeOffset.UtcNow - ago;
        await db.Users.Where(u => u.AmbassadorId == ambassadorId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PortalVisitAt, at).SetProperty(u => u.PortalPreviousVisitAt, at.AddDays(-3)));
    }

    private static async Task<string> CodeOfAsync(AmbassadorsApp app, string campaignId, string ambassadorId)
    {
        await using var db = app.Db();
        return await db.Memberships.Where(m => m.CampaignId == campaignId && m.AmbassadorId == ambassadorId).Select(m => m.ReferralCode).SingleAsync();
    }

    [SkippableFact]
    public async Task AFirstVisitSaysNothingNewYetAndShowsTheCampaignWithItsLink()
    {
        var campaign = await CampaignAsync("Fiesta Movement");
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, campaign);
        var code = await CodeOfAsync(App, campaign, me);

        var home = await browser.GetPageAsync("/portal");
        Assert.Contains("data-testid=\"greeting\">Hello Anna</h1>", home);
        Assert.Contains("Since you joined", home);
        Assert.Matches("data-testid=\"news-headline\">Nothing new since (\\d+ seconds ago|now|one second ago) — share your link to get started.</p>", home);
        Assert.Contains("No rewards yet", home);
        Assert.Contains($"data-testid=\"campaign-{campaign}\"", home);
        Assert.Contains($"data-testid=\"campaign-link\">http://localhost/r/{code}</code>", home);
        Assert.Contains($"data-copy=\"http://localhost/r/{code}\"", home);
        Assert.Contains($"href=\"/portal/stats/{campaign}\"", home);
        Assert.Contains("href=\"/portal/links\"", home);
        Assert.Contains($"ends in 3 weeks ({DateOnly.FromDateTime(DateTime.UtcNow).AddDays(21).ToString("d MMM yyyy", CultureInfo.InvariantCulture)})", home);
        Assert.Contains("<script src=\"/assets/copy-links.js\"></script>", home);

        await using var db = App.Db();
        var account = await db.Users.SingleAsync(u => u.AmbassadorId == me);
        Assert.NotNull(account.PortalVisitAt);
        Assert.Null(account.PortalPreviousVisitAt);
    }

    [SkippableFact]
    public async Task ClicksLeadsSalesAndRewardsSinceThePreviousVisitAreToldInEnglishAndDutch()
    {
        var campaign = await CampaignAsync("Fiesta Movement");
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, campaign);
        var code = await CodeOfAsync(App, campaign, me);
        var merchant = App.ClientWithKey(await App.Admin().NewKeyAsync("merchant"));
        await browser.GetPageAsync("/portal");

        // A lead from before the previous visit: counted in the earnings, not in the news.
        var old = await merchant.LeadsAsync(code, 1);
        await using (var db = App.Db())
        {
            var twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);
            await db.Conversions.Where(c => c.ExternalId == old[0]).ExecuteUpdateAsync(s => s.SetProperty(c => c.ReceivedAt, twoDaysAgo));
            await db.Ledger.Where(e => e.AmbassadorId == me).ExecuteUpdateAsync(s => s.SetProperty(e => e.CreatedAt, twoDaysAgo));
        }
        await LastVisitedAsync(me, TimeSpan.FromDays(1));

        var visitor = App.Visitor();
        for (var i = 0; i < 12; i++) await visitor.ClickAsync(code);
        await App.Admin().StatsWhenAsync($"/api/v1/ambassadors/{me}/stats", s => s["clicks"].Long() == 12);
        await merchant.LeadsAsync(code, 2);
        await (await merchant.ConvertAsync(new { externalId = $"order-{Guid.NewGuid():N}", kind = "sale", amount = "59.99", currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);

        var home = await browser.GetPageAsync("/portal");
        Assert.Contains("<h2>Since your last visit</h2>", home);
        Assert.Contains("data-testid=\"news-headline\">12 clicks, 2 leads, 1 sale, and 14.00 EUR in rewards since yesterday</p>", home);
        Assert.Contains("data-testid=\"pending-EUR\">16.00 EUR</strong>", home);
        Assert.Contains("data-testid=\"approved-EUR\">0.00 EUR</strong>", home);
        Assert.Contains("data-testid=\"paid-EUR\">0.00 EUR</strong>", home);
        var payable = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        Assert.Contains($"data-testid=\"next-approval\">16.00 EUR becomes payable on {payable.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}, in 30 days.</p>", home);
        Assert.Contains("href=\"/portal/earnings\"", home);

        // A second view within 30 minutes is the same visit: the same "since", in Dutch too.
        await using (var db = App.Db())
        {
            var account = await db.Users.SingleAsync(u => u.AmbassadorId == me);
            Assert.True(account.PortalVisitAt > DateTimeOffset.UtcNow.AddMinutes(-1));
            Assert.True(account.PortalPreviousVisitAt < DateTimeOffset.UtcNow.AddHours(-23));
        }
        browser.Client.DefaultRequestHeaders.Add("Accept-Language", "nl");
        var dutch = await browser.GetPageAsync("/portal");
        Assert.Contains("data-testid=\"greeting\">Hallo Anna</h1>", dutch);
        Assert.Contains("<h2>Sinds je vorige bezoek</h2>", dutch);
        Assert.Contains("data-testid=\"news-headline\">12 kliks, 2 leads, 1 verkoop en 14,00 EUR aan beloningen sinds gisteren</p>", dutch);
        Assert.Contains("data-testid=\"pending-EUR\">16,00 EUR</strong>", dutch);
        Assert.Contains($"data-testid=\"next-approval\">16,00 EUR wordt uitbetaalbaar op {payable.ToString("d MMM yyyy", new CultureInfo("nl")).Replace(".", "")}, over 30 dagen.</p>", dutch);
        Assert.Contains("eindigt over 3 weken", dutch);
        Assert.Contains("Link kopiëren", dutch);
    }

    [SkippableFact]
    public async Task ARemovedMembershipAndAnEndedCampaignAreToldAndOnlyCurrentCampaignsAreListed()
    {
        var kept = await CampaignAsync("Summer Club");
        var removed = await CampaignAsync("Winter Club");
        var ending = await CampaignAsync("Spring Club");
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, kept);
        await PortalBrowser.EnrolAsync(App, removed, me);
        await PortalBrowser.EnrolAsync(App, ending, me);
        await browser.GetPageAsync("/portal");
        await LastVisitedAsync(me, TimeSpan.FromHours(3));
        await using (var db = App.Db())
        {
            // Joined before that visit.
            var before = DateTimeOffset.UtcNow.AddDays(-5);
            await db.Memberships.Where(m => m.AmbassadorId == me).ExecuteUpdateAsync(s => s.SetProperty(m => m.JoinedAt, before));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await App.Admin().DeleteAsync($"/api/v1/campaigns/{removed}/ambassadors/{me}")).StatusCode);
        await (await App.Admin().PatchJsonAsync($"/api/v1/campaigns/{ending}", new { status = "ended" })).AssertJsonAsync(HttpStatusCode.OK);

        var home = await browser.GetPageAsync("/portal");
        Assert.Contains("data-testid=\"news-headline\">No new clicks or sales since 3 hours ago.</p>", home);
        Assert.Contains("data-testid=\"news-removed\">You are no longer in Winter Club: your links there keep working but earn nothing new.</p>", home);
        Assert.Contains("data-testid=\"news-ended\">Spring Club ended.</p>", home);
        Assert.DoesNotContain("data-testid=\"news-joined\"", home);
        Assert.Contains($"data-testid=\"campaign-{kept}\"", home);
        Assert.Contains($"data-testid=\"campaign-{ending}\"", home);
        Assert.DoesNotContain($"data-testid=\"campaign-{removed}\"", home);
        Assert.Contains("<span class=\"badge ended\">ended</span>", home);
    }

    [SkippableFact]
    public async Task NobodyElsesResultsReachTheHomeAndStrangersAreSentToSignIn()
    {
        var mine = await CampaignAsync("Mine Only");
        var theirs = await CampaignAsync("Theirs Only");
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, mine);
        var (_, other, _) = await PortalBrowser.SignedInAsync(App, theirs, name: "Bram Jansen");
        var otherCode = await CodeOfAsync(App, theirs, other);
        await LastVisitedAsync(me, TimeSpan.FromHours(2));
        var visitor = App.Visitor();
        for (var i = 0; i < 3; i++) await visitor.ClickAsync(otherCode);
        await App.Admin().StatsWhenAsync($"/api/v1/ambassadors/{other}/stats", s => s["clicks"].Long() == 3);
        await App.ClientWithKey(await App.Admin().NewKeyAsync("merchant")).LeadsAsync(otherCode, 1);

        var home = await browser.GetPageAsync("/portal");
        Assert.Contains("data-testid=\"news-headline\">No new clicks or sales since 2 hours ago.</p>", home);
        Assert.Contains("data-testid=\"news-joined\">You joined Mine Only.</p>", home);
        Assert.Contains("No rewards yet", home);
        Assert.DoesNotContain("Theirs Only", home);
        Assert.DoesNotContain(otherCode, home);

        var anonymous = await StaffBrowser.Open(App).GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fportal", anonymous.Headers.Location!.PathAndQuery);
    }
}

public sealed class HomeOnSqlite(SqliteFixture fixture) : HomeTests(fixture), IClassFixture<SqliteFixture>;

public sealed class HomeOnPostgres(PostgresFixture fixture) : HomeTests(fixture), IClassFixture<PostgresFixture>;
