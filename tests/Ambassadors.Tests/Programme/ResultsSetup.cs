using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ambassadors.Tests.Programme;

/// <summary>Campaigns, members, pieces, clicks and conversions for the results tests, all through the public API.</summary>
public sealed class ResultsSetup(AmbassadorsApp app, Uri? kestrel = null)
{
    private readonly HttpClient _admin = app.Admin();

    public HttpClient Admin => _admin;

    public async Task<string> CampaignAsync(string name, string currency = "EUR", object? kpi = null, string status = "active")
    {
        var response = await _admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name, objective = "sales", destinationUrl = "https://shop.example/fiesta", currency, status,
            rewards = new { perLead = 2, perSale = 10, salePercent = 5 }, kpi,
        });
        return (await response.AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
    }

    public async Task<(string Id, string Code)> MemberAsync(string campaignId, string name, long followers = 1000)
    {
        var ambassador = await (await _admin.PostJsonAsync("/api/v1/ambassadors", new
        {
            name, email = $"{Guid.NewGuid():N}@example.com", socialProfiles = new[] { new { network = "instagram", handle = "@x", followers } },
        })).AssertJsonAsync(HttpStatusCode.Created);
        var id = ambassador["id"].Str();
        var code = (await (await _admin.EnrolAsync(campaignId, id)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        return (id, code);
    }

    public async Task<string> PieceAsync(string campaignId, string title, object? more = null)
    {
        var body = new JsonObject { ["title"] = title };
        if (more is not null)
        {
            foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(more)!.AsObject().ToList()) body[key] = value?.DeepClone();
        }
        return (await (await _admin.PostRawAsync($"/api/v1/campaigns/{campaignId}/content", body.ToJsonString())).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
    }

    /// <summary>The member's link to the piece.</summary>
    public async Task<string> PieceCodeAsync(string ambassadorId, string contentId)
    {
        var links = await (await _admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        return links.Single(l => l!["contentId"]?.GetValue<string>() == contentId)!["code"].Str();
    }

    /// <summary>Clicks a link as a new visitor each time; the click ids, for conversions.</summary>
    public async Task<List<string>> ClicksAsync(string code, int count)
    {
        var ids = new List<string>();
        // Without cookies each click is a new visitor; against Kestrel, through its port.
        using var visitor = kestrel is null ? app.Visitor()
            : new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = kestrel };
        for (var i = 0; i < count; i++) ids.Add(Clicks.ClickIdOf(await visitor.ClickAsync(code)));
        return ids;
    }

    public async Task SaleAsync(string amount, string currency, string? clickId = null, string? code = null) =>
        await (await _admin.ConvertAsync(new { externalId = $"sale-{Guid.NewGuid():N}", kind = "sale", amount, currency, clickId, referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);

    public async Task LeadAsync(string? clickId = null, string? code = null) =>
        await (await _admin.ConvertAsync(new { externalId = $"lead-{Guid.NewGuid():N}", kind = "lead", clickId, referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);

    /// <summary>Waits until the campaign's stats count the clicks (the collectors flush every second).</summary>
    public Task<JsonObject> CampaignStatsAsync(string campaignId, long clicks) =>
        _admin.StatsWhenAsync($"/api/v1/campaigns/{campaignId}/stats", s => s["clicks"].Long() == clicks);

    public static async Task<string> PageAsync(StaffBrowser browser, string url) => WebUtility.HtmlDecode(await browser.GetPageAsync(url));

    public static void Dutch(StaffBrowser browser) => browser.Client.DefaultRequestHeaders.Add("Accept-Language", "nl");

    /// <summary>The table row with this test id.</summary>
    public static string Row(string html, string testId)
    {
        var match = Regex.Match(html, $"<tr data-testid=\"{Regex.Escape(testId)}\">[\\s\\S]*?</tr>");
        Assert.True(match.Success, $"No row {testId}.");
        return match.Value;
    }

    /// <summary>A cell's text in a row, by its test id.</summary>
    public static string Cell(string row, string testId)
    {
        var match = Regex.Match(row, $"data-testid=\"{Regex.Escape(testId)}\">([^<]*)<");
        Assert.True(match.Success, $"No cell {testId} in {row}.");
        return match.Groups[1].Value;
    }

    /// <summary>A funnel's figures by stage (data-count of each step).</summary>
    public static Dictionary<string, long> Funnel(string html, string contentId)
    {
        var figure = Regex.Match(html, $"<figure class=\"funnel\" data-testid=\"funnel-{Regex.Escape(contentId)}\">[\\s\\S]*?</figure>");
        Assert.True(figure.Success, $"No funnel for {contentId}.");
        return Regex.Matches(figure.Value, "data-stage=\"([a-zA-Z]+)\" data-count=\"(\\d+)\"")
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
