using System.Net;
using System.Text.RegularExpressions;
using Ambassadors.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.Campaigns;

/// <summary>The campaign managers' pages (/manage) through HTTP as a browser uses them, in English and Dutch.</summary>
public abstract partial class CampaignPagesTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task StrangersAreSentToSignInAndOtherRolesGetA403Page()
    {
        var id = (await App.Admin().CreateCampaignAsync())["id"].Str();
        var paths = new[] { "/manage", "/manage/campaigns/new", $"/manage/campaigns/{id}", $"/manage/campaigns/{id}/edit" };
        var stranger = StaffBrowser.Open(App);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var ambassador = await AmbassadorSignedInAsync();
        foreach (var path in paths)
        {
            var anonymous = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal("/login", anonymous.Headers.Location!.AbsolutePath);
            Assert.Equal($"?ReturnUrl={Uri.EscapeDataString(path)}", anonymous.Headers.Location.Query);
            foreach (var refused in new[] { finance, ambassador })
            {
                var response = await refused.GetAsync(path);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Null(response.Headers.Location);
                Assert.Contains("for manager and admin accounts", await response.Content.ReadAsStringAsync());
            }
        }
        var post = await finance.Client.PostAsync($"/manage/campaigns/{id}?handler=Status",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["NewStatus"] = "ended" }));
        Assert.True(post.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"A finance post answered {post.StatusCode}.");
        var stored = await (await App.Admin().GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", stored["status"].Str());
    }

    [SkippableFact]
    public async Task AManagerSigningInLandsOnTheCampaignListAndAnAdminOpensItToo()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "manager");
        var browser = StaffBrowser.Open(App);
        var signedIn = await browser.SignInAsync(email, StaffBrowser.Password);
        Assert.Equal("/manage", signedIn.Headers.Location!.OriginalString);
        var html = await PageAsync(browser, "/manage");
        Assert.Contains("<h1>Campaigns</h1>", html);
        Assert.Contains("href=\"/manage/campaigns/new\">New campaign</a>", html);
        Assert.Contains($"<strong data-testid=\"signed-in-as\">{email}</strong>", html);

        var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");
        Assert.Contains("<h1>Campaigns</h1>", await PageAsync(admin, "/manage"));
    }

    [SkippableFact]
    public async Task TheListShowsObjectiveStatusDatesCapacityAndKpiProgressFilteredByStatus()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (id, code) = await CampaignWithKpiAsync($"Fiesta {tag}", capacity: 10);
        await LeadAsync(code);
        var paused = (await admin.CreateCampaignAsync(name: $"Paused {tag}"))["id"].Str();
        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{paused}", new { status = "paused" })).AssertJsonAsync(HttpStatusCode.OK);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var html = await PageAsync(browser, "/manage");
        var row = Row(html, id);
        Assert.Contains($"Fiesta {tag}", row);
        Assert.Contains("Sales<br><span class=\"muted\">sell: orders and revenue</span>", row);
        Assert.Contains("<span class=\"badge active\">active</span>", row);
        Assert.Contains("1 Sep 2026 – 28 Feb 2027", row);
        Assert.Contains("<td data-testid=\"capacity\">1 of 10 · 9 left</td>", row);
        Assert.Contains("data-testid=\"kpi-text\">25% of 4 leads<", row);
        Assert.Contains("<progress max=\"1\" value=\"0.25\"", row);
        Assert.Contains("No KPI set", Row(html, paused));

        var pausedOnly = await PageAsync(browser, "/manage?status=paused");
        Assert.Contains($"Paused {tag}", pausedOnly);
        Assert.DoesNotContain($"Fiesta {tag}", pausedOnly);

        Dutch(browser);
        var dutch = Row(await PageAsync(browser, "/manage"), id);
        Assert.Contains("<span class=\"badge active\">actief</span>", dutch);
        Assert.Contains("<td data-testid=\"capacity\">1 van 10 · nog 9 vrij</td>", dutch);
        Assert.Contains("data-testid=\"kpi-text\">25% van 4 leads<", dutch);
        Assert.Contains("1 sep 2026 – 28 feb 2027", dutch);
        Assert.Contains("Verkoop", dutch);
    }

    [SkippableFact]
    public async Task TheListShowsTheKpiProgressTheStatsAnswerForEveryMetric()
    {
        var admin = App.Admin();
        var (id, code) = await CampaignWithKpiAsync($"Metrics {Guid.NewGuid():N}", capacity: 5);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Redirect, (await App.Visitor().ClickAsync(code)).StatusCode);
        await LeadAsync(code);
        await (await admin.ConvertAsync(new { externalId = $"sale-{Guid.NewGuid():N}", kind = "sale", amount = "30.00", currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        await admin.StatsWhenAsync($"/api/v1/campaigns/{id}/stats", stats => stats["clicks"].Long() == 2);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");

        foreach (var (metric, target, shown) in new[]
                 {
                     ("clicks", "8", "25% of 8 clicks"), ("uniqueVisitors", "8", "25% of 8 unique visitors"), ("leads", "2", "50% of 2 leads"),
                     ("sales", "4", "25% of 4 sales"), ("revenue", "120", "25% of 120.00 EUR revenue"),
                 })
        {
            await (await admin.PatchRawAsync($"/api/v1/campaigns/{id}", $"{{\"kpi\":{{\"metric\":\"{metric}\",\"target\":{target}}}}}"))
                .AssertJsonAsync(HttpStatusCode.OK);
            var stats = await (await admin.GetAsync($"/api/v1/campaigns/{id}/stats")).AssertJsonAsync(HttpStatusCode.OK);
            var row = Row(await PageAsync(browser, "/manage"), id);
            Assert.Contains($"data-testid=\"kpi-text\">{shown}<", row);
            Assert.Contains($"value=\"{stats["kpiProgress"].Dec().ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}\"", row);
        }
    }

    [SkippableFact]
    public async Task TheCampaignPageShowsKpiCapacityRewardsTotalsAndThirtyDaysOfChart()
    {
        var (id, code) = await CampaignWithKpiAsync("Vogue Circle", capacity: 6);
        await LeadAsync(code);
        var admin = App.Admin();
        await (await admin.PostJsonAsync($"/api/v1/campaigns/{id}/content", new { title = "Autumn lookbook" })).AssertJsonAsync(HttpStatusCode.Created);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var html = await PageAsync(browser, $"/manage/campaigns/{id}");
        Assert.Contains("<p class=\"big\" data-testid=\"kpi-percent\">25%</p>", html);
        Assert.Contains("data-testid=\"kpi-text\">25% of 4 leads<", html);
        Assert.Contains("data-testid=\"kpi-reached\">1 so far<", html);
        Assert.Contains("data-testid=\"members\">1 member<", html);
        Assert.Contains("data-testid=\"capacity\">1 of 6 · 5 left<", html);
        Assert.Contains("<li>2.00 EUR per lead</li>", html);
        Assert.Contains("<li>10.00 EUR per sale</li>", html);
        Assert.Contains("<li>5% of each sale's amount</li>", html);
        Assert.Contains("data-testid=\"total-leads\">1<", html);
        Assert.Contains("data-testid=\"objective\">Sales<", html);
        Assert.Contains($"href=\"/manage/campaigns/{id}/applications\"", html);
        Assert.Contains($"href=\"/apply/{id}\"", html);
        Assert.Contains("<td>Autumn lookbook</td>", html);
        Assert.Matches("data-testid=\"dates\">1 Sep 2026 – 28 Feb 2027<", html);

        // The chart: one group per day of the last 30, each titled with its figures; a legend of the four series.
        Assert.Contains("data-testid=\"daily-chart\" data-days=\"30\"", html);
        Assert.Equal(30, DayGroup().Matches(html).Count);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Contains($"<title>{today.ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en"))}: 0 clicks, 0 unique visitors, 1 leads, 0 sales</title>", html);
        Assert.Equal(2, Regex.Matches(html, "<polyline class=\"series ").Count);
        Assert.Equal(30, Regex.Matches(html, "<rect class=\"bar leads\"").Count);
        Assert.Equal(30, Regex.Matches(html, "<rect class=\"bar sales\"").Count);
        foreach (var series in new[] { "Clicks", "Unique visitors", "Leads", "Sales" }) Assert.Contains($"</span>{series}</li>", html);
        Assert.Contains("role=\"img\" aria-label=\"Clicks, unique visitors, leads and sales per day from", html);

        Dutch(browser);
        var dutch = await PageAsync(browser, $"/manage/campaigns/{id}");
        Assert.Contains("data-testid=\"kpi-text\">25% van 4 leads<", dutch);
        Assert.Contains("<li>2,00 EUR per lead</li>", dutch);
        Assert.Contains("data-testid=\"capacity\">1 van 6 · nog 5 vrij<", dutch);
        Assert.Contains("data-days=\"30\"", dutch);
        Assert.Contains("Aanmeldingen beoordelen", dutch);
    }

    [SkippableFact]
    public async Task TheCampaignPagesCarryNoInlineScriptStyleOrHandler()
    {
        var (id, _) = await CampaignWithKpiAsync("No inline", capacity: 3);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        foreach (var path in new[] { "/manage", "/manage/campaigns/new", $"/manage/campaigns/{id}", $"/manage/campaigns/{id}/edit" })
        {
            var html = await browser.GetPageAsync(path);
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
            Assert.DoesNotMatch("<[^>]+\\s(style|on[a-z]+)\\s*=", html);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [SkippableFact]
    public async Task AnUnknownCampaignIsA404Page()
    {
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        foreach (var path in new[] { "/manage/campaigns/cmp_abcdefghijkmnpqr", "/manage/campaigns/whatever", "/manage/campaigns/cmp_abcdefghijkmnpqr/edit" })
        {
            var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [SkippableFact]
    public async Task ACampaignMadeThroughTheFormIsStoredAsTheApiWouldStoreIt()
    {
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var form = await PageAsync(browser, "/manage/campaigns/new");
        Assert.Contains("name=\"__RequestVerificationToken\"", form);
        Assert.Contains("name=\"Form.KpiMetric\"", form);

        var created = await browser.PostFormAsync("/manage/campaigns/new", Fields(new()
        {
            ["Form.Name"] = "Form made", ["Form.KpiMetric"] = "revenue", ["Form.KpiTarget"] = "2500.50", ["Form.Capacity"] = "40",
            ["Form.TargetCountries"] = "nl, BE", ["Form.Description"] = "Line one\r\nLine two", ["Form.PerSale"] = "7.5", ["Form.Reach"] = "2.25",
        }));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var url = created.Headers.Location!.OriginalString;
        Assert.Matches("^/manage/campaigns/cmp_[a-z0-9]+$", url);
        var page = await PageAsync(browser, url);
        Assert.Contains("data-testid=\"flash\">Campaign created.<", page);
        Assert.Contains("0% of 2,500.50 EUR revenue", page);
        Assert.Contains("data-testid=\"countries\">Netherlands (NL), Belgium (BE)<", page);

        var campaign = await (await App.Admin().GetAsync($"/api/v1/campaigns/{url.Split('/')[^1]}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("{\"metric\":\"revenue\",\"target\":2500.50}", campaign["kpi"]!.ToJsonString());
        Assert.Equal(40, (int)campaign["capacity"]!);
        Assert.Equal("[\"NL\",\"BE\"]", campaign["targetCountries"]!.ToJsonString());
        Assert.Equal("Line one\r\nLine two", campaign["description"].Str());
        Assert.Equal(7.50m, campaign["rewards"]!["perSale"].Dec());
        Assert.Equal(2.25m, campaign["scoring"]!["reach"].Dec());
        Assert.Equal("sales", campaign["objective"].Str());
    }

    [SkippableFact]
    public async Task EveryRuleTheFormBreaksIsShownNextToItsFieldAndNothingIsStored()
    {
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        await using var before = App.Db();
        var count = await before.Campaigns.CountAsync();
        var bad = Fields(new()
        {
            ["Form.Name"] = "", ["Form.DestinationUrl"] = "javascript:alert(1)", ["Form.Capacity"] = "0", ["Form.KpiMetric"] = "sales",
            ["Form.KpiTarget"] = "1.5", ["Form.TargetCountries"] = "NL, XX", ["Form.Reach"] = "101", ["Form.PerLead"] = "abc",
            ["Form.StartsOn"] = "2027-02-01", ["Form.EndsOn"] = "2026-02-30",
        });

        var response = await browser.PostFormAsync("/manage/campaigns/new", bad);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("data-testid=\"problem\">The campaign was not saved", html);
        var expected = new Dictionary<string, string>
        {
            ["name"] = "Give the campaign a name of at most 200 characters.",
            ["destinationUrl"] = "Enter a full web address starting with http:// or https://.",
            ["capacity"] = "A whole number from 1 to 1,000,000, or empty for no limit.",
            ["kpi.target"] = "A target above 0: a whole number, or for revenue an amount with the currency's decimals.",
            ["targetCountries"] = "Use two-letter country codes separated by commas, such as NL, BE, DE.",
            ["scoring.reach"] = "A weight from 0 to 100, with at most 4 decimals.",
            ["rewards.perLead"] = "An amount of 0 or more, with at most the currency's decimals.",
            ["endsOn"] = "Enter a date between 2000 and 2100, not before the start.",
        };
        foreach (var (field, message) in expected)
        {
            // The message sits in the field's own box, right after its input, which is marked invalid.
            Assert.Matches($"<input id=\"f-{Regex.Escape(field.Replace('.', '-'))}\"[^>]*class=\"invalid\"[^>]*>\\s*(<div class=\"hint\">[^<]*</div>\\s*)?<div class=\"error\" id=\"error-{Regex.Escape(field.Replace('.', '-'))}\" data-testid=\"error-{Regex.Escape(field)}\">{Regex.Escape(message)}</div>", html);
        }
        Assert.Contains("value=\"NL, XX\"", html);

        Dutch(browser);
        var dutch = WebUtility.HtmlDecode(await (await browser.PostFormAsync("/manage/campaigns/new", bad)).Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"error-capacity\">Een geheel getal van 1 tot 1.000.000, of leeg voor geen limiet.<", dutch);
        Assert.Contains("data-testid=\"error-kpi.target\">Een doel boven 0", dutch);

        await using var after = App.Db();
        Assert.Equal(count, await after.Campaigns.CountAsync());
    }

    [SkippableFact]
    public async Task TheFormsRefuseAPostWithoutItsAntiforgeryToken()
    {
        var id = (await App.Admin().CreateCampaignAsync())["id"].Str();
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        foreach (var (page, action) in new[]
                 {
                     ("/manage/campaigns/new", "/manage/campaigns/new"), ($"/manage/campaigns/{id}/edit", $"/manage/campaigns/{id}/edit"),
                     ($"/manage/campaigns/{id}", $"/manage/campaigns/{id}?handler=Status"),
                 })
        {
            Assert.Contains("name=\"__RequestVerificationToken\"", await PageAsync(browser, page));
            var response = await browser.Client.PostAsync(action, new FormUrlEncodedContent(Fields(new() { ["Form.Name"] = "Forged", ["NewStatus"] = "ended" })));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var stored = await (await App.Admin().GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", stored["status"].Str());
        Assert.Equal("Fiesta Movement", stored["name"].Str());
    }

    [SkippableFact]
    public async Task EditingChangesTheCampaignAndEndingItAsksFirst()
    {
        var (id, _) = await CampaignWithKpiAsync("Before", capacity: 5);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/campaigns/{id}/edit";
        var form = await PageAsync(browser, url);
        Assert.Contains("value=\"Before\"", form);
        Assert.Contains("<option value=\"leads\" selected=\"selected\">leads</option>", form);
        Assert.Contains("id=\"f-kpi-target\" name=\"Form.KpiTarget\" type=\"number\" step=\"any\" value=\"4\"", form);
        Assert.Contains("value=\"EUR\" readonly", form);

        var edit = FieldsOf(form);
        edit["Form.Name"] = "After";
        edit["Form.KpiTarget"] = "10";
        edit["Form.Capacity"] = "";
        var saved = await browser.PostFormAsync(url, edit);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var campaign = await (await App.Admin().GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("After", campaign["name"].Str());
        Assert.Equal(10m, campaign["kpi"]!["target"].Dec());
        Assert.Null(campaign["capacity"]);
        Assert.Equal("2026-09-01", campaign["startsOn"].Str());
        Assert.Equal(2.00m, campaign["rewards"]!["perLead"].Dec());

        // Below the members already in: refused next to the capacity, nothing changed.
        edit["Form.Capacity"] = "0";
        var tooSmall = await browser.PostFormAsync(url, edit);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooSmall.StatusCode);
        Assert.Contains("data-testid=\"error-capacity\"", await tooSmall.Content.ReadAsStringAsync());

        // Ending: first a question naming the campaign, with the form kept; then, confirmed, the change.
        edit["Form.Capacity"] = "";
        edit["Form.Status"] = "ended";
        var asked = await browser.PostFormAsync(url, edit);
        var question = WebUtility.HtmlDecode(await asked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("<h2>End After?</h2>", question);
        Assert.Contains("name=\"Confirmed\" value=\"yes\"", question);
        Assert.Equal("active", (await (await App.Admin().GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK))["status"].Str());

        edit["Confirmed"] = "yes";
        var ended = await browser.PostFormAsync(url, edit);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("ended", (await (await App.Admin().GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK))["status"].Str());
        var page = await PageAsync(browser, $"/manage/campaigns/{id}");
        Assert.Contains("data-testid=\"status\">ended<", page);
        Assert.DoesNotContain($"href=\"/apply/{id}\"", page);
    }

    [SkippableFact]
    public async Task TheStatusButtonsChangeTheStatusAndEndingAsksFirst()
    {
        var id = (await App.Admin().CreateCampaignAsync(name: "Buttons"))["id"].Str();
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/campaigns/{id}";

        var recruiting = await browser.PostFormAsync(url, new Dictionary<string, string> { ["NewStatus"] = "recruiting" }, $"{url}?handler=Status");
        Assert.Equal(HttpStatusCode.Redirect, recruiting.StatusCode);
        Assert.Contains("data-testid=\"flash\">The campaign is now recruiting.<", await PageAsync(browser, url));

        var asked = await browser.PostFormAsync(url, new Dictionary<string, string> { ["NewStatus"] = "ended" }, $"{url}?handler=Status");
        Assert.Contains("<h2>End Buttons?</h2>", WebUtility.HtmlDecode(await asked.Content.ReadAsStringAsync()));
        Assert.Equal("recruiting", (await (await App.Admin().GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK))["status"].Str());

        var ended = await browser.PostFormAsync(url, new Dictionary<string, string> { ["NewStatus"] = "ended", ["Confirmed"] = "yes" }, $"{url}?handler=Status");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("ended", (await (await App.Admin().GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK))["status"].Str());

        var unknown = await browser.PostFormAsync(url, new Dictionary<string, string> { ["NewStatus"] = "archived" }, $"{url}?handler=Status");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
    }

    private async Task<(string Id, string Code)> CampaignWithKpiAsync(string name, int capacity)
    {
        var admin = App.Admin();
        var id = (await admin.CreateCampaignAsync(name: name, capacity: capacity))["id"].Str();
        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{id}", new { kpi = new { metric = "leads", target = 4 } })).AssertJsonAsync(HttpStatusCode.OK);
        var ambassador = (await admin.CreateAmbassadorAsync())["id"].Str();
        var code = (await (await admin.EnrolAsync(id, ambassador)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        return (id, code);
    }

    private Task LeadAsync(string code) =>
        App.Admin().ConvertAsync(new { externalId = $"lead-{Guid.NewGuid():N}", kind = "lead", referralCode = code })
            .ContinueWith(t => t.Result.AssertJsonAsync(HttpStatusCode.Created)).Unwrap();

    /// <summary>A browser signed in as an ambassador's account (made directly: the API makes only staff accounts).</summary>
    private async Task<StaffBrowser> AmbassadorSignedInAsync()
    {
        var email = $"ambassador.{Guid.NewGuid():N}@example.com";
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var result = await users.CreateAsync(new AppUser { UserName = email, Email = email, Role = UserRole.Ambassador.Name(), CreatedAt = DateTimeOffset.UtcNow },
                StaffBrowser.Password);
            Assert.True(result.Succeeded);
        }
        var browser = StaffBrowser.Open(App);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, StaffBrowser.Password)).StatusCode);
        return browser;
    }

    /// <summary>A valid new campaign's fields, with some replaced.</summary>
    private static Dictionary<string, string> Fields(Dictionary<string, string> replaced)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = "Valid", ["Form.Objective"] = "sales", ["Form.Status"] = "active", ["Form.Currency"] = "EUR",
            ["Form.DestinationUrl"] = "https://shop.example/form", ["Form.AttributionWindowDays"] = "30", ["Form.HoldingPeriodDays"] = "14",
            ["Form.Reach"] = "1", ["Form.Engagement"] = "1", ["Form.Motivation"] = "1", ["Form.CountryFit"] = "1", ["Form.PastResults"] = "1",
        };
        foreach (var (name, value) in replaced) fields[name] = value;
        return fields;
    }

    /// <summary>What the edit form would post as it stands: its inputs' values, the selected options and the checked objective.</summary>
    private static Dictionary<string, string> FieldsOf(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match input in Regex.Matches(html, "<input id=\"[^\"]*\" name=\"(Form\\.[A-Za-z]+)\"[^>]*?value=\"([^\"]*)\""))
        {
            fields[input.Groups[1].Value] = WebUtility.HtmlDecode(input.Groups[2].Value);
        }
        foreach (Match input in Regex.Matches(html, "<input id=\"[^\"]*\" name=\"(Form\\.[A-Za-z]+)\" type=\"[a-z]+\"( step=\"[^\"]*\")? class"))
        {
            fields.TryAdd(input.Groups[1].Value, "");
        }
        foreach (Match select in Regex.Matches(html, "<select id=\"[^\"]*\" name=\"(Form\\.[A-Za-z]+)\"[\\s\\S]*?</select>"))
        {
            var selected = Regex.Match(select.Value, "<option value=\"([^\"]*)\" selected=\"selected\"");
            fields[select.Groups[1].Value] = selected.Success ? selected.Groups[1].Value : "";
        }
        fields["Form.Objective"] = Regex.Match(html, "name=\"Form.Objective\" value=\"([a-z]+)\" checked=\"checked\"").Groups[1].Value;
        foreach (Match area in Regex.Matches(html, "<textarea id=\"[^\"]*\" name=\"(Form\\.[A-Za-z]+)\"[^>]*>([^<]*)</textarea>"))
        {
            fields[area.Groups[1].Value] = WebUtility.HtmlDecode(area.Groups[2].Value);
        }
        return fields;
    }

    /// <summary>The page's HTML with entities decoded (the encoder writes "–" and "ë" as entities), as a person reads it.</summary>
    private static async Task<string> PageAsync(StaffBrowser browser, string url) => WebUtility.HtmlDecode(await browser.GetPageAsync(url));

    private static void Dutch(StaffBrowser browser) => browser.Client.DefaultRequestHeaders.Add("Accept-Language", "nl");

    /// <summary>The list's row of one campaign.</summary>
    private static string Row(string html, string id)
    {
        var match = Regex.Match(html, $"<tr data-testid=\"campaign-{id}\">[\\s\\S]*?</tr>");
        Assert.True(match.Success, $"The list has no row for {id}.");
        return match.Value;
    }

    [GeneratedRegex("<g class=\"day\">")]
    private static partial Regex DayGroup();
}

public sealed class CampaignPagesOnSqlite(SqliteFixture fixture) : CampaignPagesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class CampaignPagesOnPostgres(PostgresFixture fixture) : CampaignPagesTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>The list's first view, on a database without campaigns: what a campaign is and how to make one.</summary>
public sealed class CampaignListEmptyStateTests
{
    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task AnEmptyListExplainsCampaignsAndOffersTheFirstOne(Engine engine)
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            await using var app = new AmbassadorsApp(engine, database, $"test-{Guid.NewGuid():N}");
            var (browser, _) = await StaffBrowser.SignedInAsync(app, "manager");
            var html = WebUtility.HtmlDecode(await browser.GetPageAsync("/manage"));
            Assert.Contains("<h2>No campaigns yet</h2>", html);
            Assert.Contains("<li><strong>Service</strong>: help customers and win sign-ups</li>", html);
            Assert.Equal(2, Regex.Matches(html, "href=\"/manage/campaigns/new\"").Count);
            Assert.DoesNotContain("data-testid=\"campaigns\"", html);

            browser.Client.DefaultRequestHeaders.Add("Accept-Language", "nl-NL,nl;q=0.9");
            Assert.Contains("<h2>Nog geen campagnes</h2>", await browser.GetPageAsync("/manage"));
        });
    }
}
