using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Cli;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Demo;

/// <summary>
/// <c>ambassadors demo</c> on an empty database of each engine (the full size once, on SQLite; a tenth on PostgreSQL), then
/// the service started on that database: the numbers the demo promises are there, and every total adds up as the product
/// reports it (a campaign's = the sum over its ambassadors = the sum over its pieces plus its direct links).
/// </summary>
public abstract class DemoTests(Engine engine, bool full)
{
    private int Applicants => full ? 4_000 : 400;
    private int Agents => full ? 100 : 20;
    private int Members => full ? 1_000 : 100;

    [SkippableFact]
    public async Task Demo_LoadsBothProgrammes_AndTheirFiguresAddUp()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var load = await DemoAsync(database, "--size", full ? "full" : "small");
            Assert.True(load.ExitCode == ExitCodes.Ok, load.Stderr + load.Stdout);
            Assert.Contains("Loaded in", load.Stdout);
            Assert.Contains("manager@demo.example", load.Stdout);
            Assert.Contains("Demo-Manager-2026", load.Stdout);

            await using var app = new AmbassadorsApp(engine, database, $"test-{Guid.NewGuid():N}");
            var admin = app.Admin();
            var campaigns = (await (await admin.GetAsync("/api/v1/campaigns")).AssertJsonAsync(HttpStatusCode.OK))["items"]!.AsArray();
            var ford = campaigns.Single(c => c!["name"].Str() == "Fiesta Movement")!["id"].Str();
            var vogue = campaigns.Single(c => c!["name"].Str() == "Insiders Circle")!["id"].Str();

            await using (var db = app.Db())
            {
                Assert.Equal(Applicants, await db.Applications.CountAsync(a => a.CampaignId == ford));
                Assert.Equal(Agents, await db.Applications.CountAsync(a => a.CampaignId == ford && a.Status == ApplicationStatus.Accepted));
                Assert.Equal(Agents, await db.Memberships.CountAsync(m => m.CampaignId == ford));
                Assert.Equal(Members, await db.Memberships.CountAsync(m => m.CampaignId == vogue));
                Assert.Equal(6, await db.Content.CountAsync(c => c.CampaignId == ford));
                Assert.True(await db.Outbox.CountAsync(m => m.Kind == OutboxKind.Invitation) >= Agents);
                // Six monthly missions: last months' proofs reviewed (each accepted one's bonus in the ledger once, each
                // rejected one with its reason), this month's waiting.
                var missions = await db.Missions.Where(m => m.CampaignId == ford).OrderBy(m => m.StartsOn).ToListAsync();
                Assert.Equal(6, missions.Count);
                Assert.Equal(6, missions.Select(m => m.StartsOn.Month).Distinct().Count());
                var proofs = await db.MissionSubmissions.Where(s => s.CampaignId == ford).ToListAsync();
                var current = missions[^1].Id;
                Assert.All(proofs.Where(p => p.MissionId == current), p => Assert.Equal(SubmissionStatus.Submitted, p.Status));
                Assert.All(proofs.Where(p => p.MissionId != current), p => Assert.NotEqual(SubmissionStatus.Submitted, p.Status));
                Assert.All(proofs.Where(p => p.Status == SubmissionStatus.Rejected), p => Assert.False(string.IsNullOrEmpty(p.RejectionReason)));
                var accepted = proofs.Where(p => p.Status == SubmissionStatus.Accepted).Select(p => p.Id).ToList();
                Assert.True(accepted.Count > Agents * 2, $"{accepted.Count} accepted proofs");
                var bonuses = await db.Ledger.Where(e => e.Kind == LedgerEntryKind.MissionBonus && e.CampaignId == ford).ToListAsync();
                Assert.Equal(accepted.Order(), bonuses.Select(b => b.SubmissionId!).Order());
                Assert.Contains(proofs, p => p.Status == SubmissionStatus.Rejected);
                Assert.Contains(proofs, p => p.MissionId == current);

                // The circle's exclusive previews are under embargo; its members rated it and its pieces.
                var now = DateTimeOffset.UtcNow;
                Assert.Equal(3, (await db.Content.Where(c => c.CampaignId == vogue).Select(c => c.EmbargoUntil).ToListAsync()).Count(e => e > now));
                Assert.True(await db.Feedback.CountAsync(f => f.CampaignId == vogue) >= Members / 10);
                var accounts = await db.Users.Select(u => new { u.Email, u.Role, u.AmbassadorId }).ToListAsync();
                Assert.Contains(accounts, u => u.Email == "finance@demo.example" && u.Role == "finance");
                Assert.Contains(accounts, u => u.Email == "agent@demo.example" && u.AmbassadorId != null);
                Assert.Contains(accounts, u => u.Email == "member@demo.example" && u.AmbassadorId != null);
            }

            var fordStats = await AddsUpAsync(app, ford);
            await AddsUpAsync(app, vogue);
            Assert.True(fordStats["sales"].Long() > 0 && fordStats["leads"].Long() > fordStats["sales"].Long());

            // Finance's monthly runs: paid batches whose totals are the campaign's paid rewards.
            var batches = await (await admin.GetAsync("/api/v1/payouts?status=paid")).AssertJsonArrayAsync(HttpStatusCode.OK);
            Assert.InRange(batches.Count, 3, 5);
            var batchGross = batches.SelectMany(b => b!["totals"]!.AsArray()).Sum(t => t!["gross"]!.GetValue<decimal>());
            Assert.Equal(Euros(fordStats["rewards"]!["paid"]), batchGross);

            var feedback = await (await admin.GetAsync($"/api/v1/campaigns/{vogue}/feedback")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.InRange(feedback["average"]!.GetValue<double>(), 3.5, 5);

            // Sign-in works with the printed accounts.
            var manager = StaffBrowser.Open(app);
            Assert.Equal(HttpStatusCode.Redirect, (await manager.SignInAsync("manager@demo.example", "Demo-Manager-2026")).StatusCode);
            Assert.Contains("Anna de Vries", await manager.GetPageAsync($"/manage/campaigns/{ford}/applications?status=accepted"));
            var agent = StaffBrowser.Open(app);
            Assert.Equal(HttpStatusCode.Redirect, (await agent.SignInAsync("agent@demo.example", "Demo-Agent-2026")).StatusCode);
            Assert.Contains("Fiesta Movement", await agent.GetPageAsync("/portal"));
        });
    }

    [SkippableFact]
    public async Task Demo_RefusesADatabaseWithData_UnlessForced()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("", Engine(database, "migrate"))).ExitCode);
            var user = await CliRun.RunAsync("", Engine(database, "users", "create", "--email", "ops@example.com", "--role", "admin",
                "--password", "Corr3ctHorseBattery"));
            Assert.Equal(ExitCodes.Ok, user.ExitCode);

            var refused = await DemoAsync(database, "--size", "small");

            Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
            Assert.Contains("already holds data", refused.Stderr);
            Assert.Contains("--force", refused.Stderr);
            await using var app = new AmbassadorsApp(engine, database, $"test-{Guid.NewGuid():N}");
            await using (var db = app.Db())
            {
                Assert.Equal(0, await db.Campaigns.CountAsync());
                Assert.Equal(["ops@example.com"], await db.Users.Select(u => u.Email!).ToListAsync());
            }
            if (full) return; // loading beside data costs another load: once, on PostgreSQL
            await app.DisposeAsync();

            var forced = await DemoAsync(database, "--size", "small", "--force");

            Assert.True(forced.ExitCode == ExitCodes.Ok, forced.Stderr + forced.Stdout);
            Assert.Contains("added beside", forced.Stdout);
            await using var after = new AmbassadorsApp(engine, database, $"test-{Guid.NewGuid():N}");
            await using var check = after.Db();
            Assert.Equal(2, await check.Campaigns.CountAsync());
            Assert.True(await check.Users.AnyAsync(u => u.Email == "ops@example.com"));
            Assert.True(await check.Users.AnyAsync(u => u.Email == "manager@demo.example"));
        });
    }

    /// <summary>
    /// The campaign's totals against the sum of its members' stats, and against the sum of its pieces' plus the clicks and
    /// conversions of its direct links (read from the raw clicks and the conversions). Returns the campaign's stats.
    /// </summary>
    private static async Task<JsonObject> AddsUpAsync(AmbassadorsApp app, string campaignId)
    {
        var admin = app.Admin();
        var campaign = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        await using var db = app.Db();
        var members = await db.Memberships.Where(m => m.CampaignId == campaignId).Select(m => m.AmbassadorId).ToListAsync();
        var pieces = await db.Content.Where(c => c.CampaignId == campaignId).Select(c => c.Id).ToListAsync();

        var ambassadors = new List<JsonObject>();
        foreach (var member in members)
        {
            ambassadors.Add(await (await admin.GetAsync($"/api/v1/ambassadors/{member}/stats")).AssertJsonAsync(HttpStatusCode.OK));
        }
        foreach (var figure in new[] { "clicks", "botClicks", "leads", "sales" })
        {
            Assert.Equal(campaign[figure].Long(), ambassadors.Sum(a => a[figure].Long()));
        }
        Assert.Equal(Euros(campaign["revenue"]), ambassadors.Sum(a => Euros(a["revenue"])));
        foreach (var state in new[] { "pending", "approved", "paid" })
        {
            Assert.Equal(Euros(campaign["rewards"]![state]), ambassadors.Sum(a => Euros(a["rewards"]![state])));
        }
        // A visitor reached by two members counts once for the campaign, once for each member.
        Assert.InRange(campaign["uniqueVisitors"].Long(), 1, ambassadors.Sum(a => a["uniqueVisitors"].Long()));

        var content = new List<JsonObject>();
        foreach (var piece in pieces)
        {
            content.Add(await (await admin.GetAsync($"/api/v1/content/{piece}/stats")).AssertJsonAsync(HttpStatusCode.OK));
        }
        var directClicks = await db.Clicks.CountAsync(c => c.CampaignId == campaignId && c.ContentId == null && !c.IsBot);
        var direct = await db.Conversions.Where(c => c.CampaignId == campaignId && c.ContentId == null && c.ReversedAt == null)
            .GroupBy(c => c.Kind).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => (long)g.Count);
        Assert.Equal(campaign["clicks"].Long(), content.Sum(c => c["clicks"].Long()) + directClicks);
        Assert.Equal(campaign["leads"].Long(), content.Sum(c => c["leads"].Long()) + direct.GetValueOrDefault(ConversionKind.Lead));
        Assert.Equal(campaign["sales"].Long(), content.Sum(c => c["sales"].Long()) + direct.GetValueOrDefault(ConversionKind.Sale));
        Assert.True(campaign["clicks"].Long() > 0);
        return campaign;
    }

    private static decimal Euros(JsonNode? amounts) =>
        amounts!.AsArray().Where(m => m!["currency"].Str() == "EUR").Sum(m => m!["amount"]!.GetValue<decimal>());

    private string[] Engine(string database, params string[] command) =>
        ["--database", engine == Support.Engine.Sqlite ? "sqlite" : "postgres", "--connection-string", database, .. command];

    private Task<CliRun> DemoAsync(string database, params string[] options) => CliRun.RunAsync("", Engine(database, ["demo", .. options]));
}

/// <summary>
/// The demo loads for 15-30 s on both cores: run alone, after the parallel tests, so the browser tests' timeouts never
/// share the machine with it (two of them timed out beside it in CI).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoCollection
{
    public const string Name = "Demo, alone";
}

[Collection(DemoCollection.Name)]
public sealed class DemoOnSqlite() : DemoTests(Engine.Sqlite, full: true);

[Collection(DemoCollection.Name)]
public sealed class DemoOnPostgres() : DemoTests(Engine.Postgres, full: false);
