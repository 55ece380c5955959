using System.Net;
using Xunit.Abstractions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// Object-level authorization of the portal: ambassador A requests every portal route and download that takes an id with
/// B's ids (a campaign B alone is in, B's campaign and content links, a payout batch with only B's line) and with guessed
/// ids, and gets 404 every time; the pages without ids, given B's ids as query parameters, show nothing of B. B gets the
/// same routes with B's ids (so a 404 means "not yours", not "broken"), and a batch with lines of both shows A only A's.
/// </summary>
public abstract partial class PortalAuthorizationTests(EngineFixture fixture, ITestOutputHelper output)
{
    private AmbassadorsApp App => fixture.App;

    /// <summary>Every portal route that names an object, as a path template over that object's id.</summary>
    private static readonly (string Kind, Func<string, string> Path)[] ObjectRoutes =
    [
        ("campaign", id => $"/portal/stats/{id}"),
        ("code", id => $"/portal/links/{id}/qr.png"),
        ("code", id => $"/portal/links/{id}/qr.svg"),
        ("code", id => $"/portal/links/{id}/qr.png?download=1"),
        ("code", id => $"/portal/links/{id}/qr.svg?download=1"),
        ("code", id => $"/portal/links/{id}/qr.png?network=instagram"),
        ("batch", id => $"/portal/earnings/statements/{id}"),
        ("batch", id => $"/portal/earnings/statements/{id}.xlsx"),
    ];

    /// <summary>The portal's pages without an id in the path, probed with B's ids in the query string.</summary>
    private static readonly string[] ListPages = ["/portal", "/portal/links", "/portal/stats", "/portal/earnings", "/portal/profile"];

    private static readonly string[] QueryNames = ["campaign", "campaignId", "ambassador", "ambassadorId", "id", "batch", "code", "c"];

    private static readonly Dictionary<string, string[]> Guesses = new()
    {
        ["campaign"] = ["cmp_00000000000000000000000000", "cmp_1", "1", "cmp_ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "cmp_%27or%271%27%3D%271"],
        ["code"] = ["AAAA2222", "ZZZZZZZZ", "1", "not-a-code", "x%27%22"],
        ["batch"] = ["pay_00000000000000000000000000", "pay_1", "1", "pay_ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "pay_%27or%271%27%3D%271"],
    };

    [SkippableFact]
    public async Task AnotherAmbassadorsObjectsAndGuessedIdsAnswer404AndNothingOfTheirsShows()
    {
        var (admin, finance, merchant) = await App.PayoutClientsAsync();
        var shared = await CampaignAsync(admin, "Shared campaign");
        var theirs = await CampaignAsync(admin, "Bonly campaign");
        await (await admin.PostJsonAsync($"/api/v1/campaigns/{theirs}/content", new { title = "Bonly exclusive piece" })).AssertJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync($"/api/v1/campaigns/{shared}/content", new { title = "Shared piece" })).AssertJsonAsync(HttpStatusCode.Created);

        var (a, aId, _) = await PortalBrowser.SignedInAsync(App, shared, name: "Anna de Vries");
        var (b, bId, bEmail) = await PortalBrowser.SignedInAsync(App, theirs, name: "Bram Jansen");
        await admin.EnrolAsync(shared, bId);
        var aLinks = await LinksOfAsync(admin, aId);
        var bLinks = await LinksOfAsync(admin, bId);
        Assert.True(bLinks.Count >= 4, "B has a campaign and a content link in each of two campaigns.");

        // Money: a batch with lines of both (paid), then a batch with only B's line (approved).
        await merchant.LeadsAsync(aLinks.First(l => l.CampaignId == shared && l.ContentId is null).Code, 1);
        await merchant.LeadsAsync(bLinks.First(l => l.CampaignId == theirs && l.ContentId is null).Code, 2);
        await finance.BankDetailsAsync(aId);
        await finance.BankDetailsAsync(bId, "Bram Jansen");
        var both = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        await (await finance.PostAsync($"/api/v1/payouts/{both}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await finance.PostAsync($"/api/v1/payouts/{both}/paid", null)).AssertJsonAsync(HttpStatusCode.OK);
        await merchant.LeadsAsync(bLinks.First(l => l.CampaignId == theirs && l.ContentId is null).Code, 1);
        var onlyB = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        await (await finance.PostAsync($"/api/v1/payouts/{onlyB}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);

        var bObjects = new Dictionary<string, string[]>
        {
            ["campaign"] = [theirs],
            ["code"] = bLinks.Select(l => l.Code).ToArray(),
            ["batch"] = [onlyB],
        };

        // B reaches every one of these: a 404 to A below means "not yours".
        foreach (var (kind, path) in ObjectRoutes)
        {
            foreach (var id in bObjects[kind])
            {
                var own = await b.GetAsync(path(id));
                Assert.True(own.StatusCode == HttpStatusCode.OK, $"B's own {path(id)}: {(int)own.StatusCode}");
            }
        }

        var probes = 0;
        var leaks = new List<string>();
        foreach (var (kind, path) in ObjectRoutes)
        {
            foreach (var id in bObjects[kind].Concat(Guesses[kind]))
            {
                probes++;
                var response = await a.GetAsync(path(id));
                if (response.StatusCode != HttpStatusCode.NotFound) leaks.Add($"{path(id)} answered {(int)response.StatusCode}");
            }
        }
        // Pages without an id, with B's ids in the query string: 200 or 404, never anything of B's.
        var bSecrets = bLinks.Select(l => l.Code).Append(bId).Append(bEmail).Append(theirs).Append(onlyB).Append("Bonly campaign")
            .Append("Bonly exclusive piece").Append("Jansen").ToList();
        foreach (var page in ListPages)
        {
            foreach (var name in QueryNames)
            {
                foreach (var id in new[] { theirs, bId, onlyB, bLinks[0].Code })
                {
                    probes++;
                    var url = $"{page}?{name}={Uri.EscapeDataString(id)}";
                    var response = await a.GetAsync(url);
                    // The language switch echoes the address (its ReturnUrl): that is the probe's own text, not B's data.
                    var body = EchoedAddress().Replace(await response.Content.ReadAsStringAsync(), "");
                    if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound)) leaks.Add($"{url} answered {(int)response.StatusCode}");
                    leaks.AddRange(bSecrets.Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{url} shows \"{s}\""));
                }
            }
        }
        // The batch with both lines: A's statement has A's money only.
        probes++;
        var statement = await a.GetPageAsync($"/portal/earnings/statements/{both}");
        leaks.AddRange(bSecrets.Where(s => statement.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"A's statement of {both} shows \"{s}\""));
        probes++;
        var workbook = await a.GetAsync($"/portal/earnings/statements/{both}.xlsx");
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        var cells = WorkbookText(await workbook.Content.ReadAsByteArrayAsync());
        leaks.AddRange(bSecrets.Where(s => cells.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"A's workbook of {both} shows \"{s}\""));

        output.WriteLine($"{probes} cross-ambassador probes, {leaks.Count} succeeded.");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        Assert.True(probes >= 100, $"only {probes} probes");
    }

    [SkippableFact]
    public async Task EveryPortalRouteSendsTheAnonymousToSignInAndRefusesStaff()
    {
        var (_, _, _) = await PortalBrowser.SignedInAsync(App);
        var routes = ListPages.Concat(ObjectRoutes.Select(r => r.Path(Guesses[r.Kind][0]))).ToList();
        foreach (var route in routes)
        {
            var anonymous = await StaffBrowser.Open(App).GetAsync(route);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Redirect, $"{route}: {(int)anonymous.StatusCode}");
            Assert.StartsWith("/login?ReturnUrl=", anonymous.Headers.Location!.PathAndQuery);
        }
        foreach (var role in new[] { "admin", "manager", "finance" })
        {
            var (staff, _) = await StaffBrowser.SignedInAsync(App, role);
            foreach (var route in routes)
            {
                var refused = await staff.GetAsync(route);
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{role} {route}: {(int)refused.StatusCode}");
            }
        }
    }

    /// <summary>A campaign paying for leads with no holding period, so a lead is payable at once.</summary>
    private static async Task<string> CampaignAsync(HttpClient admin, string name) =>
        (await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name, objective = "sales", destinationUrl = "https://shop.example/b", currency = "EUR",
            holdingPeriodDays = 0, rewards = new { perLead = 3, perSale = 10 },
        })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

    private sealed record Link(string Code, string CampaignId, string? ContentId);

    private static async Task<List<Link>> LinksOfAsync(HttpClient admin, string ambassadorId) =>
        (await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK))
        .Select(l => new Link(l!["code"].Str(), l["campaignId"].Str(), l["contentId"]?.GetValue<string>())).ToList();

    [System.Text.RegularExpressions.GeneratedRegex("name=\"ReturnUrl\" value=\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex EchoedAddress();

    /// <summary>Every cell's text of every sheet of a workbook.</summary>
    private static string WorkbookText(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var book = new ClosedXML.Excel.XLWorkbook(stream);
        return string.Join("\n", book.Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetString()));
    }
}

public sealed class PortalAuthorizationOnSqlite(SqliteFixture fixture, ITestOutputHelper output)
    : PortalAuthorizationTests(fixture, output), IClassFixture<SqliteFixture>;

public sealed class PortalAuthorizationOnPostgres(PostgresFixture fixture, ITestOutputHelper output)
    : PortalAuthorizationTests(fixture, output), IClassFixture<PostgresFixture>;
