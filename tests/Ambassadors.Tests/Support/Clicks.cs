using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ambassadors.Tests.Support;

/// <summary>Clicking tracked links as a browser, a bot or a script would, and waiting for the counts.</summary>
public static class Clicks
{
    public const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    public const string Slackbot = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

    /// <summary>A client that shows redirects instead of following them and keeps no cookies of its own.</summary>
    public static HttpClient Visitor(this WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>Follows a tracked link once; <paramref name="visitorCookie"/> is "amb_vid=…; amb_seen=…" from an earlier visit.</summary>
    public static async Task<HttpResponseMessage> ClickAsync(this HttpClient visitor, string code, string userAgent = Browser,
        string? visitorCookie = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"/r/{code}");
        if (userAgent.Length > 0) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (visitorCookie is not null) request.Headers.Add("Cookie", visitorCookie);
        return await visitor.SendAsync(request);
    }

    /// <summary>The cookies a redirect set, as a Cookie header for the same browser's next request.</summary>
    public static string CookiesOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

    public static string ClickIdOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = response.Headers.Location!.Query.TrimStart('?').Split('&');
        return query.Single(p => p.StartsWith("click_id=", StringComparison.Ordinal))["click_id=".Length..];
    }

    /// <summary>Reads stats until they satisfy the condition (collectors flush every second) or 10 s pass.</summary>
    public static async Task<JsonObject> StatsWhenAsync(this HttpClient client, string url, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var stats = await (await client.GetAsync(url)).AssertJsonAsync(HttpStatusCode.OK);
            if (condition(stats)) return stats;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Stats at {url} never met the condition: {stats.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the condition holds (raw clicks are written at the collector's next flush), or fails after 10 s.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 10 s.");
            await Task.Delay(100);
        }
    }

    public static long Long(this JsonNode? node) => node!.GetValue<long>();

    public static decimal Dec(this JsonNode? node) => node!.GetValue<decimal>();

    /// <summary>The amount for a currency in a money list like revenue or rewards.pending; 0 when absent.</summary>
    public static decimal MoneyIn(this JsonNode? list, string currency) =>
        list!.AsArray().Where(m => m!["currency"].Str() == currency).Select(m => m!["amount"].Dec()).SingleOrDefault();

    public static async Task<(string CampaignId, string AmbassadorId, string Code)> CampaignWithMemberAsync(
        this HttpClient admin, string currency = "EUR", long followers = 1000, object? rewards = null, int? attributionWindowDays = null,
        int? holdingPeriodDays = null)
    {
        var response = await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Fiesta Movement",
            objective = "sales",
            destinationUrl = "https://shop.example/fiesta?utm_source=ambassadors#top",
            currency,
            attributionWindowDays,
            holdingPeriodDays,
            rewards = rewards ?? new { perLead = 2, perSale = 10, salePercent = 5 },
        });
        var campaignId = (await response.AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var ambassadorId = (await admin.CreateAmbassadorAsync(followers: followers))["id"].Str();
        var code = (await (await admin.EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        return (campaignId, ambassadorId, code);
    }

    public static Task<HttpResponseMessage> ConvertAsync(this HttpClient merchant, object body) =>
        merchant.PostJsonAsync("/api/v1/conversions", body);
}
