using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.AmbassadorProfiles;

/// <summary>The ambassadors' pages under /manage through HTTP as a browser uses them: list, profile, edit, removal.</summary>
public abstract class AmbassadorPagesTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task StrangersAreSentToSignInAndFinanceAndAmbassadorsAreRefused()
    {
        var id = await PeopleSeed.AmbassadorAsync(App.Admin(), "Roos Jansen", $"roos.{Guid.NewGuid():N}@example.com");
        string[] pages = ["/manage/ambassadors", $"/manage/ambassadors/{id}", $"/manage/ambassadors/{id}/edit", "/manage/ambassadors/import",
            "/manage/ambassadors/import/template.csv"];
        var stranger = StaffBrowser.Open(App);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var portal = StaffBrowser.Open(App);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SignInAsync(await PeopleSeed.PortalAccountAsync(App, id), StaffBrowser.Password)).StatusCode);
        foreach (var page in pages)
        {
            var response = await stranger.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login?ReturnUrl=", response.Headers.Location!.PathAndQuery);
            Assert.Equal(HttpStatusCode.Forbidden, (await finance.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync(page)).StatusCode);
        }
        var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");
        Assert.Contains("Roos Jansen", await admin.GetPageAsync($"/manage/ambassadors/{id}"));
    }

    [SkippableFact]
    public async Task TheListSearchesFiltersAndPagesFiftyAtATime()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < 53; i++)
        {
            ids.Add(await PeopleSeed.AmbassadorAsync(admin, $"Zoë {tag} {i:00}", $"z{i}.{tag}@example.com", i % 10 == 0 ? "BE" : "NL", followers: 1500 + i));
        }
        var campaign = (await admin.CreateCampaignAsync(name: $"Lente {tag}"))["id"].Str();
        foreach (var member in ids.Take(3)) Assert.Equal(HttpStatusCode.Created, (await admin.EnrolAsync(campaign, member)).StatusCode);
        await PeopleSeed.PortalAccountAsync(App, ids[1]);
        await PeopleSeed.InvitationAsync(App, ids[2], TimeSpan.FromDays(7));
        await PeopleSeed.InvitationAsync(App, ids[4], TimeSpan.FromDays(-1)); // expired: not invited
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var first = await TextAsync(manager, $"/manage/ambassadors?q={tag.ToUpperInvariant()}");
        Assert.Contains("1–50 of 53", first);
        Assert.Equal(50, Rows(first));
        Assert.Contains($"href=\"/manage/ambassadors?q={tag.ToUpperInvariant()}&page=2\"", first);
        Assert.Contains($"Lente {tag}", Row(first, ids[0]));
        Assert.Contains("1.5 k", Row(first, ids[0]));
        Assert.Contains(">Belgium<", Row(first, ids[0]));
        Assert.Contains("badge active", Row(first, ids[1]));
        Assert.Contains("badge invited", Row(first, ids[2]));
        Assert.Contains("badge not-invited", Row(first, ids[4]));
        Assert.Contains("data-testid=\"legend\"", first);

        var second = await TextAsync(manager, $"/manage/ambassadors?q={tag}&page=2");
        Assert.Contains("51–53 of 53", second);
        Assert.Equal(3, Rows(second));

        Assert.Contains("1–1 of 1", await TextAsync(manager, $"/manage/ambassadors?q=Z7.{tag.ToUpperInvariant()}@EXAMPLE"));
        Assert.Contains("1–3 of 3", await TextAsync(manager, $"/manage/ambassadors?q={tag}&campaign={campaign}"));
        Assert.Contains("1–6 of 6", await TextAsync(manager, $"/manage/ambassadors?q={tag}&country=be"));
        var active = await TextAsync(manager, $"/manage/ambassadors?q={tag}&status=active");
        Assert.Contains("1–1 of 1", active);
        Assert.Contains(ids[1], active);
        Assert.Contains(ids[2], await TextAsync(manager, $"/manage/ambassadors?q={tag}&status=invited"));
        Assert.Contains("1–50 of 51", await TextAsync(manager, $"/manage/ambassadors?q={tag}&status=not-invited"));
        Assert.Contains("0–0 of 0", await TextAsync(manager, $"/manage/ambassadors?q=nobody-{tag}"));
    }

    [SkippableFact]
    public async Task TheListSpeaksDutchWhenTheBrowserAsksForIt()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await PeopleSeed.AmbassadorAsync(App.Admin(), $"Daan {tag}", $"daan.{tag}@example.com", "NL", followers: 1200);
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        manager.Client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Dnl%7Cuic%3Dnl");
        var html = await TextAsync(manager, $"/manage/ambassadors?q={tag}");
        Assert.Contains("1–1 van 1", html);
        Assert.Contains("niet uitgenodigd", html);
        Assert.Contains(">Nederland<", html);
        Assert.Contains("1,2 k", html);
    }

    [SkippableFact]
    public async Task AnAmbassadorsPageShowsProfileLinksResultsAndEarnings()
    {
        var admin = App.Admin();
        var (campaign, ambassador, code) = await admin.CampaignWithMemberAsync(followers: 4200);
        await admin.PostJsonAsync($"/api/v1/campaigns/{campaign}/content", new { title = "Winter look" });
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        await (await merchant.ConvertAsync(new { externalId = $"sale-{Guid.NewGuid():N}", kind = "sale", amount = "100.00", currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var html = await manager.GetPageAsync($"/manage/ambassadors/{ambassador}");
        Assert.Contains("data-testid=\"ambassador-name\">Anna de Vries", html);
        Assert.Contains("4,200", Between(html, "data-testid=\"reach\">", "</dd>"));
        Assert.Contains("@anna", Between(html, "data-testid=\"social\"", "</table>"));
        var links = Between(html, "data-testid=\"links\"", "</ul>");
        Assert.Contains($"/r/{code}", links);
        Assert.Contains("Winter look", links);
        Assert.Contains("data-copy=", links);
        Assert.Contains("<script src=\"/assets/copy-links.js\"></script>", html);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/assets/copy-links.js")).StatusCode);
        Assert.Contains("100.00 EUR", Between(html, "data-testid=\"results\"", "</table>"));
        var earnings = Between(html, "data-testid=\"earnings\"", "</table>");
        Assert.Contains("15.00 EUR", earnings); // 10 per sale + 5 % of 100, pending in its holding period
        StaffBrowser.TokenIn(Between(html, $"data-testid=\"membership-{campaign}\"", "</form>"));

        var unknown = await manager.GetAsync("/manage/ambassadors/amb_doesnotexist");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Nothing is at /manage/ambassadors/amb_doesnotexist", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync("/manage/ambassadors/amb_doesnotexist/edit")).StatusCode);
    }

    [SkippableFact]
    public async Task RemovingAMemberAsksFirstThenKeepsTheHistoryVisible()
    {
        var admin = App.Admin();
        var (campaign, ambassador, _) = await admin.CampaignWithMemberAsync();
        var (manager, email) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/ambassadors/{ambassador}";

        var asked = await manager.PostFormAsync(url, new Dictionary<string, string> { ["CampaignId"] = campaign }, $"{url}?handler=Remove");
        var question = await asked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("Remove Anna de Vries from Fiesta Movement?", question);
        StaffBrowser.TokenIn(Between(question, "data-testid=\"confirm\"", "</form>"));
        await using (var db = App.Db())
        {
            Assert.Null(await db.Memberships.Where(m => m.CampaignId == campaign).Select(m => m.RemovedAt).SingleAsync());
        }

        var removed = await manager.PostFormAsync(url, new Dictionary<string, string> { ["CampaignId"] = campaign, ["Confirmed"] = campaign },
            $"{url}?handler=Remove");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var page = WebUtility.HtmlDecode(await manager.GetPageAsync(url));
        Assert.Contains("Removed from Fiesta Movement. Earlier rewards are kept.", page);
        Assert.Contains($"removed on {DateTime.UtcNow:d MMM yyyy}; earlier rewards kept", page);
        Assert.DoesNotContain("data-testid=\"links\"", page);
        await using (var db = App.Db())
        {
            Assert.NotNull(await db.Memberships.Where(m => m.CampaignId == campaign).Select(m => m.RemovedAt).SingleAsync());
            Assert.Equal(email, await db.AuditLog.Where(e => e.EntityId == ambassador && e.Action == "membership.removed").Select(e => e.ActorName).SingleAsync());
        }
        Assert.Equal(0, (await (await admin.GetAsync($"/api/v1/campaigns/{campaign}")).AssertJsonAsync(HttpStatusCode.OK))["members"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task EditingAProfileRefusesATakenEmailNextToTheFieldAndAuditsTheChange()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var taken = $"taken.{tag}@example.com";
        await PeopleSeed.AmbassadorAsync(admin, "Someone Else", taken);
        var id = await PeopleSeed.AmbassadorAsync(admin, "Lotte Visser", $"lotte.{tag}@example.com");
        var (manager, email) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/ambassadors/{id}/edit";
        Assert.Contains("value=\"Lotte Visser\"", await manager.GetPageAsync(url));

        var duplicate = await manager.PostFormAsync(url, Form("Lotte Visser", taken.ToUpperInvariant(), "NL", ("instagram", "@lotte", "900")));
        var html = await duplicate.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.Contains("data-testid=\"error-email\">Another ambassador already has this email address.<", html);

        var badFollowers = await manager.PostFormAsync(url, Form("Lotte Visser", $"lotte.{tag}@example.com", "NL", ("instagram", "@lotte", "12k")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badFollowers.StatusCode);
        Assert.Contains("data-testid=\"error-followers-0\">Followers must be a whole number from 0 up.<", await badFollowers.Content.ReadAsStringAsync());

        var saved = await manager.PostFormAsync(url, Form("Lotte Visser-de Boer", $"lotte.{tag}@example.com", "BE",
            ("instagram", "@lotte", "900"), ("tiktok", "@lottevb", "2100")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var read = await (await admin.GetAsync($"/api/v1/ambassadors/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Lotte Visser-de Boer", read["name"].Str());
        Assert.Equal("BE", read["country"].Str());
        Assert.Equal(3000, read["potentialReach"]!.GetValue<long>());
        var page = await manager.GetPageAsync($"/manage/ambassadors/{id}");
        Assert.Contains("Belgium", page);
        Assert.Contains("@lottevb", page);
        await using var db = App.Db();
        var audit = await db.AuditLog.Where(e => e.EntityId == id && e.Action == "ambassador.updated").SingleAsync();
        Assert.Equal(email, audit.ActorName);
        Assert.Contains("name: Lotte Visser → Lotte Visser-de Boer", audit.Details);
        Assert.Contains("country: – → BE", audit.Details);
    }

    private static Dictionary<string, string> Form(string name, string email, string country, params (string Network, string Handle, string Followers)[] rows)
    {
        var form = new Dictionary<string, string> { ["Name"] = name, ["Email"] = email, ["Country"] = country };
        for (var i = 0; i < rows.Length; i++)
        {
            form[$"Rows[{i}].Network"] = rows[i].Network;
            form[$"Rows[{i}].Handle"] = rows[i].Handle;
            form[$"Rows[{i}].Followers"] = rows[i].Followers;
        }
        return form;
    }

    private static async Task<string> TextAsync(StaffBrowser browser, string url) => WebUtility.HtmlDecode(await browser.GetPageAsync(url));

    private static int Rows(string html) => Between(html, "<tbody>", "</tbody>").Split("<tr>").Length - 1;

    private static string Row(string html, string id)
    {
        var at = html.IndexOf($"/manage/ambassadors/{id}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"{id} is not listed.");
        return html[at..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    internal static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' is not on the page.");
        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}

public sealed class AmbassadorPagesOnSqlite(SqliteFixture fixture) : AmbassadorPagesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AmbassadorPagesOnPostgres(PostgresFixture fixture) : AmbassadorPagesTests(fixture), IClassFixture<PostgresFixture>;
