using Ambassadors.Data;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Hosting;

/// <summary>Two web nodes against one PostgreSQL database form one Orleans cluster.</summary>
public sealed class TwoNodeTests : IAsyncLifetime
{
    private string? _database;
    private AmbassadorsApp? _nodeA;
    private AmbassadorsApp? _nodeB;

    public async Task InitializeAsync()
    {
        if (TestDatabases.PostgresAdmin is null) return;
        _database = await TestDatabases.CreatePostgresAsync();
        var clusterId = $"two-{Guid.NewGuid():N}";
        _nodeA = new AmbassadorsApp(Engine.Postgres, _database, clusterId);
        _nodeB = new AmbassadorsApp(Engine.Postgres, _database, clusterId);
        // Started at the same moment on a fresh database: both migrate, one waits for the other.
        await Task.WhenAll(Task.Run(() => _nodeA.Server.ToString()), Task.Run(() => _nodeB.Server.ToString()));
        await WaitForClusterOfTwoAsync();
    }

    public async Task DisposeAsync()
    {
        if (_nodeB is not null) await _nodeB.DisposeAsync();
        if (_nodeA is not null) await _nodeA.DisposeAsync();
        if (_database is not null) await TestDatabases.DropPostgresAsync(_database);
    }

    [SkippableFact]
    public async Task SigningOutOnOneNodeEndsTheSessionOnTheOther()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var email = await StaffBrowser.CreateUserAsync(_nodeA!, "finance");
        var browser = StaffBrowser.Open(_nodeA!);
        var copy = StaffBrowser.SessionCookieOf(await browser.SignInAsync(email, StaffBrowser.Password));
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.GetWithCookieAsync(_nodeB!, "/finance", copy)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/logout", new Dictionary<string, string>())).StatusCode);

        foreach (var node in new[] { _nodeB!, _nodeA! })
        {
            var replay = await StaffBrowser.GetWithCookieAsync(node, "/finance", copy);
            Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
            Assert.Equal("/login", replay.Headers.Location!.AbsolutePath);
        }
    }

    [SkippableFact]
    public async Task ACampaignCreatedOnOneNodeIsReadAndChangedOnTheOtherWithoutLostUpdates()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var a = _nodeA!.Admin();
        var b = _nodeB!.Admin();

        var campaignId = (await a.CreateCampaignAsync(capacity: 6))["id"].Str();
        var readOnB = await (await b.GetAsync($"/api/v1/campaigns/{campaignId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Fiesta Movement", readOnB["name"].Str());

        // Two managers change different fields at the same moment through different nodes: both changes stay.
        var changes = await Task.WhenAll(
            a.PatchJsonAsync($"/api/v1/campaigns/{campaignId}", new { name = "Fiesta Movement 2027" }),
            b.PatchJsonAsync($"/api/v1/campaigns/{campaignId}", new { holdingPeriodDays = 21 }));
        Assert.All(changes, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // Ten ambassadors rush a campaign of six through both nodes: exactly six get in.
        var ambassadors = new List<string>();
        for (var i = 0; i < 10; i++) ambassadors.Add((await (i % 2 == 0 ? a : b).CreateAmbassadorAsync())["id"].Str());
        var joins = await Task.WhenAll(ambassadors.Select((id, i) => (i % 2 == 0 ? b : a).EnrolAsync(campaignId, id)));
        Assert.Equal(6, joins.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, joins.Count(r => r.StatusCode == HttpStatusCode.Conflict));

        foreach (var node in new[] { a, b })
        {
            var campaign = await (await node.GetAsync($"/api/v1/campaigns/{campaignId}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal("Fiesta Movement 2027", campaign["name"].Str());
            Assert.Equal(21, (int)campaign["holdingPeriodDays"]!);
            Assert.Equal(6, (int)campaign["members"]!);
        }
        await using var db = _nodeA.Db();
        Assert.Equal(6, await db.Memberships.CountAsync(m => m.CampaignId == campaignId));
    }

    [SkippableFact]
    public async Task ANewAmbassadorAndTheirCodesAreVisibleFromBothNodes()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var a = _nodeA!.Admin();
        var b = _nodeB!.Admin();
        var campaignId = (await b.CreateCampaignAsync())["id"].Str();
        var ambassadorId = (await a.CreateAmbassadorAsync(followers: 777))["id"].Str();
        var code = (await (await b.EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();

        var onA = await (await a.GetAsync($"/api/v1/referral-codes/{code.ToLowerInvariant()}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(ambassadorId, onA["ambassadorId"].Str());
        var ambassadorOnB = await (await b.GetAsync($"/api/v1/ambassadors/{ambassadorId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(777, (long)ambassadorOnB["potentialReach"]!);
    }

    [SkippableFact]
    public async Task PayoutBatchesRacedThroughBothNodesShareNoRewardAndArePaidOnce()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var a = _nodeA!.ClientWithKey(await _nodeA.Admin().NewKeyAsync("finance"));
        var b = _nodeB!.ClientWithKey(await _nodeB.Admin().NewKeyAsync("finance"));
        var admin = _nodeA.Admin();
        await a.SettleEverythingAsync();
        var (campaignId, _, _) = await admin.PayingCampaignAsync();
        for (var i = 0; i < 4; i++)
        {
            var (ambassadorId, code) = await admin.MemberAsync(campaignId);
            await a.BankDetailsAsync(ambassadorId);
            await admin.LeadsAsync(code, 2);
        }

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? a : b).CreateBatchAsync()));
        Assert.Single(created, r => r.StatusCode == HttpStatusCode.Created);
        Assert.True(created.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity) == 7,
            "Seven found nothing left to pay: " + string.Join(", ", created.Select(r => (int)r.StatusCode)));
        var id = (await created.Single(r => r.StatusCode == HttpStatusCode.Created).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

        var approvals = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).PostAsync($"/api/v1/payouts/{id}/approve", null)));
        Assert.All(approvals, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var payments = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).PostAsync($"/api/v1/payouts/{id}/paid", null)));
        Assert.All(payments, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var audit = await (await b.GetAsync($"/api/v1/payouts/{id}/audit")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(["payout-batch.paid", "payout-batch.approved", "payout-batch.created"], audit.Select(e => e!["action"].Str()));
        await using var db = _nodeA.Db();
        Assert.Equal(8, await db.Ledger.CountAsync(e => e.PayoutBatchId == id && e.State == Ambassadors.Data.LedgerEntryState.Paid));
    }

    [SkippableFact]
    public async Task AFinanceUserSignedInOnOneNodeWorksOnTheOtherAndAnExportStartedOnOneIsDownloadedFromTheOther()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var admin = _nodeA!.Admin();
        var finance = _nodeA.ClientWithKey(await admin.NewKeyAsync("finance"));
        var (_, ambassadorId, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(ambassadorId);
        await admin.LeadsAsync(code, 2);
        var batchId = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var email = await StaffBrowser.CreateUserAsync(_nodeA, "finance");

        // One browser, its requests landing on either node (as behind a load balancer without sticky sessions).
        var jar = new CookieContainer();
        var onA = new StaffBrowser(_nodeA.CreateDefaultClient(new CookieContainerHandler(jar)));
        var onB = new StaffBrowser(_nodeB!.CreateDefaultClient(new CookieContainerHandler(jar)));
        Assert.Equal(HttpStatusCode.Redirect, (await onA.SignInAsync(email, StaffBrowser.Password)).StatusCode);
        Assert.Contains(email, await onB.GetPageAsync("/finance"));
        // The key that protects the cookie is in the shared database, not in a node's own folder.
        await using (var db = _nodeA.Db())
        {
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
        }

        var url = $"/finance/batches/{batchId}";
        var started = await onB.PostFormAsync(url, new Dictionary<string, string>(), $"{url}?handler=Export");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var jobId = System.Text.RegularExpressions.Regex.Match(started.Headers.Location!.OriginalString, "export=([^&#]+)").Groups[1].Value;

        System.Text.Json.Nodes.JsonObject? status = null;
        await Clicks.EventuallyAsync(async () =>
        {
            status = await (await onA.GetAsync($"/finance/exports/{jobId}")).AssertJsonAsync(HttpStatusCode.OK);
            return status["state"].Str() is "done" or "failed";
        });
        Assert.Equal("done", status!["state"].Str());
        var download = await onA.GetAsync(status["downloadUrl"].Str());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        Assert.Equal(4.00, workbook.Worksheet("Payouts").Cell(2, 12).GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await onB.GetAsync(status["downloadUrl"].Str())).StatusCode);
    }

    [SkippableFact]
    public async Task DuplicateConversionsThroughBothNodesAreStoredOnce()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var (_, ambassadorId, code) = await _nodeA!.Admin().CampaignWithMemberAsync();
        var externalId = $"order-{Guid.NewGuid():N}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? _nodeA : _nodeB!).Admin().ConvertAsync(new { externalId, kind = "sale", amount = 40, currency = "EUR", referralCode = code })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        await using var db = _nodeA.Db();
        Assert.Equal(1, await db.Conversions.CountAsync(c => c.ExternalId == externalId));
        Assert.Equal(1, await db.Ledger.CountAsync(e => e.AmbassadorId == ambassadorId));
    }

    [SkippableFact]
    public async Task ClicksThroughEitherNodeAddUpInStatsReadOnEither()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var (campaignId, ambassadorId, code) = await _nodeA!.Admin().CampaignWithMemberAsync();
        var visitorA = _nodeA.Visitor();
        var visitorB = _nodeB!.Visitor();

        var redirects = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 3 == 0 ? visitorA : visitorB).ClickAsync(code)));
        Assert.All(redirects, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        await visitorA.ClickAsync(code, Clicks.Slackbot);

        foreach (var node in new[] { _nodeA, _nodeB! })
        {
            var stats = await node.Admin().StatsWhenAsync($"/api/v1/campaigns/{campaignId}/stats", s => s["clicks"].Long() == 30 && s["botClicks"].Long() == 1);
            Assert.Equal(30, stats["uniqueVisitors"].Long());
            await node.Admin().StatsWhenAsync($"/api/v1/ambassadors/{ambassadorId}/stats", s => s["clicks"].Long() == 30);
        }
    }

    private async Task WaitForClusterOfTwoAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            // Status 3 is Active in Orleans' membership table.
            await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3", connection);
            if (Convert.ToInt32(await command.ExecuteScalarAsync()) >= 2) return;
            await Task.Delay(200);
        }
        throw new TimeoutException("The two nodes did not form one cluster within 30 s.");
    }
}
