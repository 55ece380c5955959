using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Content;

/// <summary>
/// The content library (issue 14): the API's embargo, list and PATCH; the managers' library, new and edit pages; and the
/// embargo as members, other ambassadors and the public meet it.
/// </summary>
public abstract partial class ContentLibraryTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private async Task<string> CampaignAsync(string name = "Vogue Circle") => (await App.Admin().CreateCampaignAsync(name: name))["id"].Str();

    private async Task<JsonObject> PieceAsync(string campaignId, object body) =>
        await (await App.Admin().PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", body)).AssertJsonAsync(HttpStatusCode.Created);

    // --- API ---

    [SkippableFact]
    public async Task TheApiTakesAnEmbargoWithItsOffsetStoresItInUtcListsNewestFirstAndPatches()
    {
        var admin = App.Admin();
        var campaign = await CampaignAsync();
        var first = await PieceAsync(campaign, new { title = "Public look", body = "Line one\nLine two" });
        Assert.Null(first["embargoUntil"]);
        var exclusive = await PieceAsync(campaign, new
        {
            title = "Spring collection", mediaUrl = "https://cdn.example/spring.jpg", embargoUntil = "2099-12-12T10:00:00+01:00",
        });
        Assert.Equal("2099-12-12T09:00:00+00:00", exclusive["embargoUntil"].Str());
        Assert.Equal("https://shop.example/fiesta?utm_source=ambassadors", exclusive["destinationUrl"].Str());
        Assert.True(exclusive["usesCampaignDestination"]!.GetValue<bool>());
        var id = exclusive["id"].Str();
        var got = await (await admin.GetAsync($"/api/v1/content/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2099-12-12T09:00:00+00:00", got["embargoUntil"].Str());

        var list = await (await admin.GetAsync($"/api/v1/campaigns/{campaign}/content")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, list["total"]!.GetValue<int>());
        Assert.Equal([id, first["id"].Str()], list["items"]!.AsArray().Select(i => i!["id"].Str()));
        var paged = await (await admin.GetAsync($"/api/v1/campaigns/{campaign}/content?limit=1&offset=1")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(first["id"].Str(), paged["items"]![0]!["id"].Str());

        var patched = await (await admin.PatchJsonAsync($"/api/v1/content/{id}", new
        {
            title = "Spring collection, first look", destinationUrl = "https://shop.example/spring", embargoUntil = (string?)null,
        })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Spring collection, first look", patched["title"].Str());
        Assert.Equal("https://shop.example/spring", patched["destinationUrl"].Str());
        Assert.Null(patched["embargoUntil"]);
        Assert.Equal("https://cdn.example/spring.jpg", patched["mediaUrl"].Str()); // left out: kept
        Assert.NotNull(patched["updatedAt"]);
        var cleared = await (await admin.PatchJsonAsync($"/api/v1/content/{id}", new { mediaUrl = (string?)null, destinationUrl = (string?)null }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["mediaUrl"]);
        Assert.True(cleared["usesCampaignDestination"]!.GetValue<bool>());

        await using var db = App.Db();
        var audit = await db.AuditLog.Where(e => e.EntityType == "content" && e.EntityId == id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["content.created", "content.updated", "content.updated"], audit.Select(a => a.Action));
        Assert.Contains("title: Spring collection -> Spring collection, first look", audit[1].Details);
        Assert.Contains("embargoUntil: 2099-12-12T09:00:00Z -> none", audit[1].Details);
    }

    [SkippableTheory]
    [InlineData("{\"title\":\"A\",\"embargoUntil\":\"2026-12-12T10:00:00\"}", "embargoUntil")]
    [InlineData("{\"title\":\"A\",\"embargoUntil\":\"12/12/2026\"}", "embargoUntil")]
    [InlineData("{\"title\":\"A\",\"embargoUntil\":\"2026-02-30T10:00:00Z\"}", "embargoUntil")]
    [InlineData("{\"title\":\"A\",\"embargoUntil\":\"2150-01-01T10:00:00Z\"}", "embargoUntil")]
    [InlineData("{\"title\":\"A\",\"embargoUntil\":42}", "embargoUntil")]
    [InlineData("{\"title\":\"A\\u0007\"}", "title")]
    [InlineData("{\"title\":\"\"}", "title")]
    [InlineData("{\"title\":\"A\",\"mediaUrl\":\"ftp://x.example/a\"}", "mediaUrl")]
    public async Task TheApiRefusesBadInputWith422NamingTheField(string json, string field)
    {
        var campaign = await CampaignAsync();
        var problem = await (await App.Admin().PostRawAsync($"/api/v1/campaigns/{campaign}/content", json))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem["errors"]![field] is not null, problem.ToJsonString());
        await using var db = App.Db();
        Assert.False(await db.Content.AnyAsync(c => c.CampaignId == campaign));
    }

    [SkippableFact]
    public async Task PatchRefusesAClearedTitleAndBadFieldsAndAnswers404ForUnknownIdsAnd403ForOtherKeys()
    {
        var admin = App.Admin();
        var campaign = await CampaignAsync();
        var id = (await PieceAsync(campaign, new { title = "Kept" }))["id"].Str();
        foreach (var (json, field) in new[]
                 {
                     ("{\"title\":null}", "title"), ("{\"title\":\" \"}", "title"), ("{\"embargoUntil\":\"2026-12-01\"}", "embargoUntil"),
                     ("{\"body\":\"a\\u0000b\"}", "body"), ("{\"destinationUrl\":\"shop\"}", "destinationUrl"),
                 })
        {
            var response = await admin.PatchAsync($"/api/v1/content/{id}", new StringContent(json, System.Text.Encoding.UTF8, "application/merge-patch+json"));
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.True(problem["errors"]![field] is not null, $"{json}: {problem.ToJsonString()}");
        }
        Assert.Equal("Kept", (await (await admin.GetAsync($"/api/v1/content/{id}")).AssertJsonAsync(HttpStatusCode.OK))["title"].Str());
        await (await admin.PatchJsonAsync("/api/v1/content/cnt_00000000000000000000000000", new { title = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/campaigns/cmp_00000000000000000000000000/content")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/v1/campaigns/{campaign}/content?limit=0")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        foreach (var role in new[] { "merchant", "finance" })
        {
            var other = App.ClientWithKey(await admin.NewKeyAsync(role));
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PatchJsonAsync($"/api/v1/content/{id}", new { title = "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/campaigns/{campaign}/content")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/campaigns/{campaign}/feedback")).StatusCode);
        }
    }

    [SkippableFact]
    public async Task TheNewRoutesAreInTheOpenApiDocument()
    {
        var document = await (await App.ClientWithKey(null).GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject();
        Assert.NotNull(paths["/api/v1/content/{id}"]!["patch"]);
        Assert.NotNull(paths["/api/v1/campaigns/{id}/content"]!["get"]);
        Assert.NotNull(paths["/api/v1/campaigns/{id}/feedback"]!["get"]);
        Assert.NotNull(document["components"]!["schemas"]!["CreateContentRequest"]!["properties"]!["embargoUntil"]);
    }

    // --- The embargo ---

    [SkippableFact]
    public async Task BeforeTheEmbargoOnlyMembersSeeThePieceAndTheirLinksWorkAfterItThePageIsPublic()
    {
        var admin = App.Admin();
        var campaign = await CampaignAsync("Vogue Circle");
        var (member, memberId, _) = await PortalBrowser.SignedInAsync(App, campaign, "Anna de Vries");
        var until = DateTimeOffset.UtcNow.AddDays(5).AddHours(1);
        var piece = await PieceAsync(campaign, new
        {
            title = "Winter preview", body = "Our winter line.\nFirst look for the circle.", mediaUrl = "https://cdn.example/winter.jpg",
            embargoUntil = until.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        });
        var id = piece["id"].Str();
        var (stranger, _, _) = await PortalBrowser.SignedInAsync(App, await CampaignAsync("Other"), "Bram Bakker");

        // The public and other ambassadors: 404, the same as an unknown id.
        var anonymous = App.Visitor();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/content/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/content/cnt_00000000000000000000000000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/content/{id}")).StatusCode);
        await stranger.GetPageAsync($"/portal/content/{id}", HttpStatusCode.NotFound);
        Assert.DoesNotContain("Winter preview", await stranger.GetPageAsync("/portal/links"));

        // The member: marked in the links, the piece in the portal with their own link.
        var links = await member.GetPageAsync("/portal/links");
        Assert.Matches(@"Exclusive preview until [^<]+ UTC, in 5 days", links);
        Assert.Contains($"href=\"/portal/content/{id}\"", links);
        Assert.Contains($"href=\"/portal/campaigns/{campaign}/feedback\"", links);
        var html = await member.GetPageAsync($"/portal/content/{id}");
        Assert.Contains("<h1 data-testid=\"title\">Winter preview</h1>", html);
        Assert.Contains("Our winter line.&#xA;First look for the circle.", html); // pre-line keeps the break
        Assert.Contains("href=\"https://cdn.example/winter.jpg\"", html);
        Assert.Contains("in 5 days", html);
        await using (var db = App.Db())
        {
            var code = await db.ReferralCodes.Where(c => c.AmbassadorId == memberId && c.ContentId == id).Select(c => c.Code).SingleAsync();
            Assert.Contains($"<code class=\"url\" data-testid=\"url\">http://localhost/r/{code}</code>", html);
            // The member's link works during the embargo: a redirect, counted for the piece.
            var click = await App.Visitor().ClickAsync(code);
            Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
            Assert.StartsWith("https://shop.example/fiesta", click.Headers.Location!.OriginalString);
            await admin.StatsWhenAsync($"/api/v1/content/{id}/stats", s => s["clicks"].Long() == 1);
        }
        using (var dutch = new HttpRequestMessage(HttpMethod.Get, $"/portal/content/{id}"))
        {
            dutch.Headers.AcceptLanguage.ParseAdd("nl");
            Assert.Matches(@"Exclusieve preview tot [^<]+ UTC, over 5 dagen", await (await member.Client.SendAsync(dutch)).Content.ReadAsStringAsync());
        }

        // The embargo ends (set in the past by PATCH): the public page answers, with no ambassador's data.
        await (await admin.PatchJsonAsync($"/api/v1/content/{id}", new { embargoUntil = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") }))
            .AssertJsonAsync(HttpStatusCode.OK);
        var open = await anonymous.GetAsync($"/content/{id}");
        var page = await open.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Contains("<h1 data-testid=\"title\">Winter preview</h1>", page);
        Assert.Contains("From Vogue Circle", page);
        Assert.Contains("href=\"https://cdn.example/winter.jpg\"", page);
        Assert.DoesNotContain("Anna", page);
        Assert.DoesNotContain("/r/", page);
        Assert.DoesNotContain("Exclusive preview", await member.GetPageAsync("/portal/links"));
        // An ambassador outside the campaign still gets 404 in the portal.
        await stranger.GetPageAsync($"/portal/content/{id}", HttpStatusCode.NotFound);
        // A piece without an embargo is public at once.
        var plain = (await PieceAsync(campaign, new { title = "Open piece" }))["id"].Str();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/content/{plain}")).StatusCode);
    }

    [SkippableFact]
    public async Task ARemovedMemberNoLongerSeesTheExclusivePiece()
    {
        var admin = App.Admin();
        var campaign = await CampaignAsync();
        var (member, memberId, _) = await PortalBrowser.SignedInAsync(App, campaign);
        var id = (await PieceAsync(campaign, new { title = "Secret", embargoUntil = "2099-01-01T00:00:00Z" }))["id"].Str();
        await member.GetPageAsync($"/portal/content/{id}");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{memberId}")).StatusCode);
        await member.GetPageAsync($"/portal/content/{id}", HttpStatusCode.NotFound);
        await member.GetPageAsync("/portal/content/cnt_00000000000000000000000000", HttpStatusCode.NotFound);
        await member.GetPageAsync("/portal/content/not-an-id", HttpStatusCode.NotFound);
    }

    // --- The library's pages ---

    [SkippableFact]
    public async Task TheLibraryPagesSendStrangersToSignInAndRefuseFinanceAndAmbassadors()
    {
        var campaign = await CampaignAsync();
        var id = (await PieceAsync(campaign, new { title = "Look" }))["id"].Str();
        var paths = new[]
        {
            $"/manage/campaigns/{campaign}/content", $"/manage/campaigns/{campaign}/content/new", $"/manage/content/{id}/edit",
            $"/manage/campaigns/{campaign}/feedback",
        };
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var (ambassador, _, _) = await PortalBrowser.SignedInAsync(App, campaign);
        foreach (var path in paths)
        {
            var anonymous = await StaffBrowser.Open(App).GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal("/login", anonymous.Headers.Location!.AbsolutePath);
            foreach (var refused in new[] { finance, ambassador })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await refused.GetAsync(path)).StatusCode);
            }
        }
        foreach (var path in new[] { "/portal/content/" + id, $"/portal/campaigns/{campaign}/feedback" })
        {
            var anonymous = await StaffBrowser.Open(App).GetAsync(path);
            Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery);
            Assert.Equal(HttpStatusCode.Forbidden, (await finance.GetAsync(path)).StatusCode);
        }
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        await manager.GetPageAsync("/manage/campaigns/cmp_00000000000000000000000000/content", HttpStatusCode.NotFound);
        await manager.GetPageAsync("/manage/content/cnt_00000000000000000000000000/edit", HttpStatusCode.NotFound);
        await manager.GetPageAsync("/manage/campaigns/cmp_00000000000000000000000000/content/new", HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task AManagerAddsAPieceWithErrorsNextToTheFieldsThenRightAndEditsIt()
    {
        var campaign = await CampaignAsync("Vogue Circle");
        await PortalBrowser.SignedInAsync(App, campaign);
        await PortalBrowser.SignedInAsync(App, campaign, "Bram Bakker");
        var (manager, email) = await StaffBrowser.SignedInAsync(App, "manager");
        var form = $"/manage/campaigns/{campaign}/content/new";
        var blank = await manager.GetPageAsync(form);
        Assert.Contains("data-testid=\"tab-content\"", blank);
        Assert.Contains("Exclusive until (UTC)", blank);
        Assert.Contains("written as M/d/yyyy HH:mm, for example 12/12/2026 09:00", blank);

        var refused = await manager.PostFormAsync(form, new Dictionary<string, string>
        {
            ["Form.Title"] = "", ["Form.Body"] = "ok", ["Form.MediaUrl"] = "cdn.example/x.jpg", ["Form.DestinationUrl"] = "https://shop.example/w",
            ["Form.EmbargoUntil"] = "31/31/2026 25:00",
        });
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-testid=\"error-title\">Give the piece a title of at most 200 characters, on one line.</div>", html);
        Assert.Contains("data-testid=\"error-mediaUrl\">Give a full web address that starts with http:// or https://.</div>", html);
        Assert.Contains("data-testid=\"error-embargoUntil\">Write a date and time in UTC as M/d/yyyy HH:mm, between the years 2000 and 2100.</div>", html);
        Assert.DoesNotContain("data-testid=\"error-destinationUrl\"", html);
        Assert.Contains("value=\"https://shop.example/w\"", html); // what was typed stays
        await using (var db = App.Db()) Assert.False(await db.Content.AnyAsync(c => c.CampaignId == campaign));

        var embargo = DateTime.UtcNow.Date.AddDays(6).AddHours(9);
        var created = await manager.PostFormAsync(form, new Dictionary<string, string>
        {
            ["Form.Title"] = "Winter preview", ["Form.Body"] = "Line one\r\nLine two", ["Form.MediaUrl"] = "https://cdn.example/w.jpg",
            ["Form.DestinationUrl"] = "", ["Form.EmbargoUntil"] = embargo.ToString("M/d/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal($"/manage/campaigns/{campaign}/content", created.Headers.Location!.OriginalString);
        string id;
        await using (var db = App.Db())
        {
            var piece = await db.Content.SingleAsync(c => c.CampaignId == campaign);
            id = piece.Id;
            Assert.Equal(new DateTimeOffset(embargo, TimeSpan.Zero), piece.EmbargoUntil);
            Assert.Null(piece.DestinationUrl);
            Assert.Equal(2, await db.ReferralCodes.CountAsync(c => c.ContentId == id)); // each member's link
            var audit = await db.AuditLog.SingleAsync(e => e.EntityType == "content" && e.EntityId == id);
            Assert.Equal(("content.created", email), (audit.Action, audit.ActorName));
        }
        var list = await manager.GetPageAsync($"/manage/campaigns/{campaign}/content");
        Assert.Contains("“Winter preview” is in the library; 2 members got their link.", list);
        Assert.Contains($"<a href=\"/manage/content/{id}\" data-testid=\"title\">Winter preview</a>", list);
        Assert.Matches(@"Exclusive preview until \d+ [A-Z][a-z]+ \d{4} 09:00 UTC, in (5|6) days", list);
        Assert.Contains("the campaign&#x27;s", list);
        Assert.Contains("1 piece", list);
        Assert.Contains("aria-current=\"page\" data-testid=\"tab-content\"", list);

        var edit = $"/manage/content/{id}/edit";
        var editing = await manager.GetPageAsync(edit);
        Assert.Contains($"value=\"{embargo.ToString("M/d/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture)}\"", editing);
        Assert.Contains("Line one&#xD;&#xA;Line two</textarea>", editing);
        var badEdit = await manager.PostFormAsync(edit, new Dictionary<string, string>
        {
            ["Form.Title"] = new string('x', 201), ["Form.Body"] = "b", ["Form.MediaUrl"] = "", ["Form.DestinationUrl"] = "", ["Form.EmbargoUntil"] = "",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badEdit.StatusCode);
        Assert.Contains("data-testid=\"error-title\"", await badEdit.Content.ReadAsStringAsync());
        var saved = await manager.PostFormAsync(edit, new Dictionary<string, string>
        {
            ["Form.Title"] = "Winter is here", ["Form.Body"] = "b", ["Form.MediaUrl"] = "", ["Form.DestinationUrl"] = "https://shop.example/winter",
            ["Form.EmbargoUntil"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await manager.GetPageAsync($"/manage/campaigns/{campaign}/content");
        Assert.Contains("“Winter is here” is saved.", after);
        Assert.Contains("<span class=\"badge public\">Public</span>", after);
        Assert.Contains($"href=\"/content/{id}\"", after);
        var api = await (await App.Admin().GetAsync($"/api/v1/content/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(api["embargoUntil"]);
        Assert.Null(api["mediaUrl"]);
        Assert.Equal("https://shop.example/winter", api["destinationUrl"].Str());
        await using (var db = App.Db())
        {
            var updated = await db.AuditLog.Where(e => e.EntityType == "content" && e.EntityId == id && e.Action == "content.updated").SingleAsync();
            Assert.Contains("title: Winter preview -> Winter is here", updated.Details);
        }

        // In Dutch: the culture's date format.
        using var dutch = new HttpRequestMessage(HttpMethod.Get, form);
        dutch.Headers.AcceptLanguage.ParseAdd("nl");
        var nl = await (await manager.Client.SendAsync(dutch)).Content.ReadAsStringAsync();
        Assert.Contains("Exclusief tot (UTC)", nl);
        Assert.Matches("geschreven als d{1,2}-M{1,2}-yyyy HH:mm, bijvoorbeeld 12-12-2026 09:00", nl);
    }

    [SkippableFact]
    public async Task TheLibraryPagesNewestFirst()
    {
        var campaign = await CampaignAsync();
        for (var i = 1; i <= 27; i++) await PieceAsync(campaign, new { title = $"Piece {i:00}" });
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var first = await manager.GetPageAsync($"/manage/campaigns/{campaign}/content");
        var titles = PieceTitle().Matches(first).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(25, titles.Count);
        Assert.Equal("Piece 27", titles[0]);
        Assert.Contains("27 pieces", first);
        Assert.Contains("Page 1 of 2", first);
        var second = await manager.GetPageAsync($"/manage/campaigns/{campaign}/content?p=2");
        Assert.Equal(["Piece 02", "Piece 01"], PieceTitle().Matches(second).Select(m => m.Groups[1].Value));
        await manager.GetPageAsync($"/manage/campaigns/{campaign}/content?p=3", HttpStatusCode.NotFound);
    }

    [GeneratedRegex("data-testid=\"title\">([^<]+)</a>")]
    private static partial Regex PieceTitle();
}

public sealed class ContentLibraryOnSqlite(SqliteFixture fixture) : ContentLibraryTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ContentLibraryOnPostgres(PostgresFixture fixture) : ContentLibraryTests(fixture), IClassFixture<PostgresFixture>;
