using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ambassadors.Web.Tracking;

namespace Ambassadors.Tests.ReferralCodes;

public abstract class RedirectTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task ALinkRedirectsToItsDestinationWithRefAndClickIdAndSetsFirstPartyCookies()
    {
        var admin = App.Admin();
        var (_, _, code) = await admin.CampaignWithMemberAsync(attributionWindowDays: 7);

        var response = await App.Visitor().ClickAsync(code.ToLowerInvariant());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var clickId = Clicks.ClickIdOf(response);
        Assert.Equal($"https://shop.example/fiesta?utm_source=ambassadors&ref={code}&click_id={clickId}#top", location);
        Assert.Matches("^clk_[0-9a-z]{26}$", clickId);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var visitor = Assert.Single(cookies, c => c.StartsWith("amb_vid=", StringComparison.Ordinal));
        var click = Assert.Single(cookies, c => c.StartsWith($"amb_click={clickId}", StringComparison.Ordinal));
        foreach (var cookie in new[] { visitor, click })
        {
            Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // plain http here
        }
        Assert.Contains($"max-age={7 * 86400}", click);

        // The raw click is stored with its code and visitor within a flush or two.
        await Clicks.EventuallyAsync(async () =>
        {
            await using var db = App.Db();
            return await db.Clicks.AnyAsync(c => c.Id == clickId && c.Code == code && !c.IsBot);
        });
    }

    [SkippableFact]
    public async Task EachStoredClickIsTheOneItsVisitorWasGivenAcrossFlushes()
    {
        var admin = App.Admin();
        var (campaignId, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var browser = App.Visitor();
        var first = await browser.ClickAsync(code);
        var cookies = Clicks.CookiesOf(first);
        var visitorId = cookies.Split("; ").Single(c => c.StartsWith("amb_vid=", StringComparison.Ordinal))["amb_vid=".Length..];
        Assert.Matches("^[0-9a-f]{32}$", visitorId);
        var given = new List<string> { Clicks.ClickIdOf(first) };
        var past = App.Services.GetRequiredService<Ambassadors.Web.ReferralCodes.PastClicks>();
        // The same browser comes back (its cookies sent) in the next flushes: the collector's batches are emptied and reused.
        for (var flush = 0; flush < 3; flush++)
        {
            await past.FlushAsync();
            given.Add(Clicks.ClickIdOf(await browser.ClickAsync(code, visitorCookie: cookies)));
        }
        var preview = await browser.ClickAsync(code, Clicks.Slackbot);
        await past.FlushAsync();

        await Clicks.EventuallyAsync(async () =>
        {
            await using var db = App.Db();
            return await db.Clicks.CountAsync(c => c.Code == code) == 5;
        });
        var items = (await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/clicks?limit=10")).AssertJsonAsync(HttpStatusCode.OK))["items"]!
            .AsArray();
        var listed = items.ToDictionary(c => c!["id"].Str());
        Assert.Equal(5, listed.Count);
        // Newest first: the clicks a flush apart come in the reverse of the order they were made, and no click's time is later
        // than the one above it. Pages of two follow the same order, with no click on two pages.
        var order = items.Select(c => c!["id"].Str()).ToList();
        Assert.Equal(given.AsEnumerable().Reverse(), order.Where(given.Contains));
        var times = items.Select(c => DateTimeOffset.Parse(c!["at"].Str(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.First >= pair.Second, $"{pair.First:O} is listed above {pair.Second:O}"));
        var paged = new List<string>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            paged.AddRange((await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/clicks?limit=2&offset={offset}")).AssertJsonAsync(HttpStatusCode.OK))["items"]!
                .AsArray().Select(c => c!["id"].Str()));
        }
        Assert.Equal(order, paged);
        foreach (var id in given)
        {
            var click = listed[id]!;
            Assert.Equal(visitorId, click["visitorId"].Str());
            Assert.Equal(code, click["code"].Str());
            Assert.Equal(ambassadorId, click["ambassadorId"].Str());
            Assert.Equal(Clicks.Browser, click["userAgent"].Str());
            Assert.False((bool)click["isBot"]!);
            Assert.True(ClickTimeIsNow(click));
        }
        // A link preview sends no cookies: a new visitor id of its own, counted as a bot.
        var bot = listed[Clicks.ClickIdOf(preview)]!;
        Assert.True((bool)bot["isBot"]!);
        Assert.Matches("^[0-9a-f]{32}$", bot["visitorId"].Str());
        Assert.NotEqual(visitorId, bot["visitorId"].Str());
        Assert.Equal(Clicks.Slackbot, bot["userAgent"].Str());

        // Each click counted once, however many flushes went by.
        await past.FlushAsync();
        var stats = await admin.StatsWhenAsync($"/api/v1/ambassadors/{ambassadorId}/stats", s => s["botClicks"].Long() == 1);
        Assert.Equal(4, stats["clicks"].Long());
        Assert.Equal(1, stats["uniqueVisitors"].Long());
    }

    private static bool ClickTimeIsNow(System.Text.Json.Nodes.JsonNode click) =>
        Math.Abs((DateTimeOffset.Parse(click["at"].Str(), System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow).TotalMinutes) < 2;

    [SkippableFact]
    public async Task AWarmCodeRedirectsWithoutReadingTheDatabase()
    {
        var (_, _, code) = await App.Admin().CampaignWithMemberAsync();
        var visitor = App.Visitor();
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.ClickAsync(code)).StatusCode);

        // Take the code's row away: a warm code is answered from the node's cache and grain memory alone.
        await using (var db = App.Db())
        {
            Assert.Equal(1, await db.ReferralCodes.Where(c => c.Code == code).ExecuteDeleteAsync());
        }
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Redirect, (await visitor.ClickAsync(code)).StatusCode);
    }

    [SkippableFact]
    public async Task OverHttpsTheCookiesAreSecure()
    {
        var (_, _, code) = await App.Admin().CampaignWithMemberAsync();
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost"),
        });
        var response = await client.ClickAsync(code);
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [SkippableFact]
    public async Task TheRedirectAndItsNotFoundPageCarryTheSitesSecurityHeadersForEachSchemeAndHost()
    {
        var (_, _, code) = await App.Admin().CampaignWithMemberAsync();
        // HSTS goes over HTTPS, and not to localhost.
        foreach (var site in new[] { "http://localhost", "https://localhost", "https://links.example", "http://links.example" })
        {
            var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
            {
                AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(site),
            });
            // The health check goes through the security headers' middleware; the redirect answers ahead of it.
            var health = await client.GetAsync("/health");
            var redirect = await client.ClickAsync(code);
            var missing = await client.ClickAsync("NOSUCHCODE9");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            foreach (var name in new[] { "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Cross-Origin-Opener-Policy",
                "Strict-Transport-Security", "Server" })
            {
                Assert.Equal((site, name, HeaderOf(health, name)), (site, name, HeaderOf(redirect, name)));
                Assert.Equal((site, name, HeaderOf(health, name)), (site, name, HeaderOf(missing, name)));
            }
            Assert.Equal(site == "https://links.example", HeaderOf(redirect, "Strict-Transport-Security").StartsWith("max-age=", StringComparison.Ordinal));
            Assert.Contains("frame-ancestors 'none'", HeaderOf(redirect, "Content-Security-Policy"));
            Assert.Equal("DENY", HeaderOf(missing, "X-Frame-Options"), ignoreCase: true);
            // The page keeps the site's referrer policy; the redirect sends the destination its referrer (the shop sees where
            // the visitor came from), except from https to http.
            Assert.Equal(HeaderOf(health, "Referrer-Policy"), HeaderOf(missing, "Referrer-Policy"));
            Assert.Equal("no-referrer-when-downgrade", HeaderOf(redirect, "Referrer-Policy"));
        }
    }

    [SkippableFact]
    public async Task ARedirectThatFailsAnswersAProblemWithTheSitesSecurityHeaders()
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://links.example"),
        });
        var health = await client.GetAsync("/health");
        // A code no node has resolved yet is looked up in the database: with its table renamed away, the lookup fails.
        async Task RenameAsync(string from, string to)
        {
            await using var db = App.Db();
            var rename = $"ALTER TABLE \"{from}\" RENAME TO \"{to}\""; // two fixed names of this test
            await db.Database.ExecuteSqlRawAsync(rename);
        }
        await RenameAsync("ReferralCodes", "ReferralCodesAway");
        HttpResponseMessage failed;
        try
        {
            failed = await client.ClickAsync("NOSUCHCODE8");
        }
        finally
        {
            await RenameAsync("ReferralCodesAway", "ReferralCodes");
        }
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("ReferralCodes", await failed.Content.ReadAsStringAsync());
        foreach (var name in new[] { "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Cross-Origin-Opener-Policy",
            "Strict-Transport-Security", "Referrer-Policy", "Server" })
        {
            Assert.Equal((name, HeaderOf(health, name)), (name, HeaderOf(failed, name)));
        }
        Assert.StartsWith("max-age=", HeaderOf(failed, "Strict-Transport-Security"), StringComparison.Ordinal);
        Assert.False(failed.Headers.Contains("Set-Cookie"));
    }

    private static string HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(" | ", values) : "(none)";

    [SkippableFact]
    public async Task AnUnknownCodeGetsA404PageAndRecordsNothing()
    {
        foreach (var code in new[] { "NOSUCHCODE9", "no spaces!", new string('x', 200) })
        {
            var response = await App.Visitor().ClickAsync(Uri.EscapeDataString(code));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("does not lead anywhere", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
        await Task.Delay(1500);
        await using var db = App.Db();
        Assert.False(await db.Clicks.AnyAsync(c => c.Code == "NOSUCHCODE9"));
    }

    [SkippableFact]
    public async Task BotsPreviewsAndHeadAreRedirectedButCountedOnlyAsBotClicks()
    {
        var admin = App.Admin();
        var (campaignId, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var visitor = App.Visitor();

        var bots = new[]
        {
            await visitor.ClickAsync(code, Clicks.Slackbot),
            await visitor.ClickAsync(code, "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"),
            await visitor.ClickAsync(code, "curl/8.5.0"),
            await visitor.ClickAsync(code, ""),
            await visitor.ClickAsync(code, method: HttpMethod.Head),
        };
        Assert.All(bots, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));

        // One person clicks three times (their browser sends back its cookies), another once.
        var first = await visitor.ClickAsync(code);
        var cookies = Clicks.CookiesOf(first);
        await visitor.ClickAsync(code, visitorCookie: cookies);
        await visitor.ClickAsync(code, visitorCookie: cookies);
        await visitor.ClickAsync(code);

        foreach (var url in new[] { $"/api/v1/ambassadors/{ambassadorId}/stats", $"/api/v1/campaigns/{campaignId}/stats" })
        {
            var stats = await admin.StatsWhenAsync(url, s => s["clicks"].Long() == 4 && s["botClicks"].Long() == 5);
            Assert.Equal(2, stats["uniqueVisitors"].Long());
            Assert.Equal(0, stats["leads"].Long());
            Assert.Equal(0m, stats["conversionRate"].Dec());
            var today = stats["daily"]!.AsArray().Last()!;
            Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), today["date"].Str());
            Assert.Equal(4, today["clicks"].Long());
            Assert.Equal(2, today["uniqueVisitors"].Long());
            Assert.Equal(30, stats["daily"]!.AsArray().Count);
        }
        // The raw clicks are written in the same flush as the counters, in parallel with them.
        await Clicks.EventuallyAsync(async () =>
        {
            await using var db = App.Db();
            return await db.Clicks.CountAsync(c => c.Code == code && c.IsBot) == 5
                && await db.Clicks.CountAsync(c => c.Code == code && !c.IsBot) == 4;
        });
    }

    [SkippableFact]
    public async Task AContentLinkCountsForThePieceItsAmbassadorAndCampaignWithTheFunnel()
    {
        var admin = App.Admin();
        var (campaignId, ambassadorId, _) = await admin.CampaignWithMemberAsync(followers: 2500);
        var contentId = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content",
            new { title = "Mission 1: road trip", destinationUrl = "https://shop.example/roadtrip" })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var bystander = (await admin.CreateAmbassadorAsync(followers: 99_000))["id"].Str();
        (await admin.EnrolAsync(campaignId, bystander)).EnsureSuccessStatusCode();
        var links = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        var contentCode = links.Single(l => l!["contentId"]?.GetValue<string>() == contentId)!["code"].Str();

        var visitor = App.Visitor();
        var response = await visitor.ClickAsync(contentCode);
        Assert.StartsWith($"https://shop.example/roadtrip?ref={contentCode}&click_id=", response.Headers.Location!.ToString());
        await visitor.ClickAsync(contentCode);

        var content = await admin.StatsWhenAsync($"/api/v1/content/{contentId}/stats", s => s["clicks"].Long() == 2);
        Assert.Equal(2, content["uniqueVisitors"].Long());
        // Reach: only the ambassador who drew clicks with the piece, not every member.
        Assert.Equal(2500, content["potentialReach"].Long());
        Assert.Equal(["reach", "clicks", "leads", "sales"], content["funnel"]!.AsArray().Select(s => s!["stage"].Str()));
        Assert.Equal([2500L, 2L, 0L, 0L], content["funnel"]!.AsArray().Select(s => s!["count"].Long()));

        var campaign = await admin.StatsWhenAsync($"/api/v1/campaigns/{campaignId}/stats", s => s["clicks"].Long() == 2);
        Assert.Equal(2500 + 99_000, campaign["potentialReach"].Long());
        var piece = campaign["content"]!.AsArray().Single()!;
        Assert.Equal(contentId, piece["contentId"].Str());
        Assert.Equal(2, piece["funnel"]!.AsArray().Single(s => s!["stage"].Str() == "clicks")!["count"].Long());

        var ambassador = await admin.StatsWhenAsync($"/api/v1/ambassadors/{ambassadorId}/stats", s => s["clicks"].Long() == 2);
        Assert.Equal(2500, ambassador["potentialReach"].Long());
    }

    [SkippableFact]
    public async Task ManyClicksFromOneAddressAreFlaggedButStillCounted()
    {
        var admin = App.Admin();
        var (_, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        const int clicks = 40;
        for (var i = 0; i < clicks; i++)
        {
            var context = await App.Server.SendAsync(http =>
            {
                http.Request.Method = "GET";
                http.Request.Path = $"/r/{code}";
                http.Request.Headers.UserAgent = Clicks.Browser;
                http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
            });
            Assert.Equal(302, context.Response.StatusCode);
        }

        var stats = await admin.StatsWhenAsync($"/api/v1/ambassadors/{ambassadorId}/stats", s => s["clicks"].Long() == clicks);
        Assert.Equal(clicks, stats["uniqueVisitors"].Long()); // no cookies sent back: each is a new visitor
        Assert.Equal(clicks - 30, stats["flaggedClicks"].Long()); // more than 30 a minute from one address
        await Clicks.EventuallyAsync(async () =>
        {
            await using var db = App.Db();
            return await db.Clicks.CountAsync(c => c.Code == code) == clicks;
        });
        await using var check = App.Db();
        Assert.Equal(clicks - 30, await check.Clicks.CountAsync(c => c.Code == code && c.Flagged));

        // A manager reviews them: only the flagged ones, with the address as a hash.
        var campaignId = (await (await admin.GetAsync($"/api/v1/referral-codes/{code}")).AssertJsonAsync(HttpStatusCode.OK))["campaignId"].Str();
        var review = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/clicks?flagged=true&limit=5")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(clicks - 30, (int)review["total"]!);
        Assert.Equal(5, review["items"]!.AsArray().Count);
        Assert.All(review["items"]!.AsArray(), c =>
        {
            Assert.True((bool)c!["flagged"]!);
            Assert.Matches("^[0-9a-f]{32}$", c["addressHash"].Str());
            Assert.DoesNotContain("203.0.113.7", c.ToJsonString());
        });
        await (await admin.GetAsync($"/api/v1/campaigns/cmp_nosuchcampaign/clicks")).AssertProblemAsync(HttpStatusCode.NotFound);
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        await (await merchant.GetAsync($"/api/v1/campaigns/{campaignId}/clicks")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [SkippableFact]
    public async Task StatsNeedAStaffKeyAndRefuseBadWindows()
    {
        var admin = App.Admin();
        var (campaignId, ambassadorId, _) = await admin.CampaignWithMemberAsync();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var finance = App.ClientWithKey(await admin.NewKeyAsync("finance"));
        var manager = App.ClientWithKey(await admin.NewKeyAsync("manager"));

        await (await merchant.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await App.CreateClient().GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await finance.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        await (await manager.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);

        await (await admin.GetAsync("/api/v1/campaigns/cmp_nosuchcampaign/stats")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/content/cnt_nosuchcontent/stats")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/ambassadors/amb_nosuchambassador/stats")).AssertProblemAsync(HttpStatusCode.NotFound);
        var bad = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats?from=2026-13-01")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(bad["errors"]!["from"]);
        await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats?from=2026-11-10&to=2026-11-01")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats?from=2000-01-01&to=2026-11-01")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats?from=2000-01-01")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var window = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats?from=2026-11-01&to=2026-11-07")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07"],
            window["daily"]!.AsArray().Select(d => d!["date"].Str()));
    }

    [SkippableFact]
    public async Task AWriteOfThousandsOfClicksStoresEachRowOnceAsItWasGivenEvenWhenRetried()
    {
        var (campaignId, ambassadorId, code) = await App.Admin().CampaignWithMemberAsync();
        // More than one transaction's rows: whole statements of many rows, and a remainder written row by row.
        var count = ClickWriter.SqliteRowsPerTransaction + 2 * ClickWriter.SqliteRowsPerStatement + 5;
        // Whole milliseconds: SQLite keeps a click's time to a tenth of one, PostgreSQL to a microsecond.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds());
        var all = new ClickBatch();
        for (var i = 0; i < count; i++)
        {
            var target = new CodeTarget(code, ambassadorId, campaignId, i % 3 == 0 ? null : $"cnt_writertest{i % 7}");
            var flags = (i % 5 == 0 ? ClickFlags.Bot : ClickFlags.None) | (i % 11 == 0 ? ClickFlags.Flagged : ClickFlags.None);
            all.Add(new ClickRecord(ClickIds.NewValue(at.AddMilliseconds(i)), target, (UInt128)i * 7_919 + 1, at.AddMilliseconds(i), flags,
                i % 4 == 0 ? null : $"{i:x32}", i % 6 == 0 ? null : $"Mozilla/5.0 (writer test {i})"));
        }
        var firstAttempt = new ClickBatch();
        firstAttempt.AddRange(all.Items[..100]);
        var writer = App.Services.GetRequiredService<ClickWriter>();

        // A first attempt stored part of the batch; the retry, and a second retry, write the whole batch.
        await writer.WriteAsync(firstAttempt);
        await writer.WriteAsync(all);
        await writer.WriteAsync(all);

        await using var db = App.Db();
        var stored = await db.Clicks.AsNoTracking().Where(c => c.Code == code).ToDictionaryAsync(c => c.Id);
        Assert.Equal(count, stored.Count);
        for (var i = 0; i < count; i++)
        {
            var given = all[i];
            var row = stored[ClickIds.Format(given.ClickId)];
            Assert.Equal(given.Target.ContentId, row.ContentId);
            Assert.Equal(ambassadorId, row.AmbassadorId);
            Assert.Equal(campaignId, row.CampaignId);
            Assert.Equal(VisitorIds.Format(given.VisitorId), row.VisitorId);
            Assert.Equal(given.At, row.At);
            Assert.Equal(i % 5 == 0, row.IsBot);
            Assert.Equal(i % 11 == 0, row.Flagged);
            Assert.Equal(given.AddressHash, row.AddressHash);
            Assert.Equal(given.UserAgent, row.UserAgent);
        }
    }
}

public sealed class RedirectOnSqlite(SqliteFixture fixture) : RedirectTests(fixture), IClassFixture<SqliteFixture>;

public sealed class RedirectOnPostgres(PostgresFixture fixture) : RedirectTests(fixture), IClassFixture<PostgresFixture>;
