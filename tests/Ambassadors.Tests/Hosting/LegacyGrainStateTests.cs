using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ambassadors.Tests.Hosting;

/// <summary>
/// Traffic counters live only in grain state: an upgrade must not lose them. The fixtures in LegacyGrainState/ are grain
/// state rows exactly as the service wrote them before the renovation (Orleans' Newtonsoft serializer, .NET type names
/// inside), on each engine; this service must read them, count on from them and store them in its own format.
/// </summary>
public abstract class LegacyGrainStateTests(Engine engine)
{
    private static readonly HttpClientHandler NoRedirects = new() { AllowAutoRedirect = false };

    [SkippableFact]
    public Task CountersWrittenByThePreviousVersionStillCountAndMoveToTheNewFormat() => EngineFixture.WithFreshDatabaseAsync(engine, async connectionString =>
    {
        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Hosting", "LegacyGrainState",
            engine == Engine.Sqlite ? "sqlite.json" : "postgres.json")))!;
        await using var app = new AmbassadorsApp(engine, connectionString, $"test-{Guid.NewGuid():N}");
        app.Server.ToString(); // migrates the database and starts the silo
        var states = fixture["states"]!.AsArray().Select(s => new LegacyState(engine, s!)).ToList();
        await SeedRecordsAsync(app, fixture, states);
        await SeedStatesAsync(connectionString, fixture);
        var admin = app.Admin();

        foreach (var state in states.Where(s => s.Subject is not null))
        {
            var stats = await (await admin.GetAsync($"/api/v1/{state.Subject}/{state.Key}/stats")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.True(state.Clicks > 0);
            Assert.Equal(state.Clicks, stats["clicks"]!.GetValue<long>());
            Assert.Equal(state.UniqueVisitors, stats["uniqueVisitors"]!.GetValue<long>());
            Assert.Equal(state.BotClicks, stats["botClicks"]!.GetValue<long>());
        }

        // The campaign's funnel counts each piece itself now: for state from before, it took the piece's counters over once.
        var contentState = states.Single(s => s.Subject == "content");
        var campaignId = fixture["content"]!.AsArray().Single(c => c!["Id"].Str() == contentState.Key)!["CampaignId"].Str();
        var campaignStats = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        var funnel = campaignStats["content"]!.AsArray().Single(f => f!["contentId"].Str() == contentState.Key)!["funnel"]!.AsArray();
        Assert.Equal(contentState.Clicks, funnel.Single(stage => stage!["stage"].Str() == "clicks")!["count"]!.GetValue<long>());

        // A content link whose code grain was stored by the old version still resolves, and its click adds to the old counts.
        var content = contentState;
        var code = fixture["referralCodes"]!.AsArray().Single(c => c!["ContentId"]?.GetValue<string>() == content.Key)!;
        var piece = fixture["content"]!.AsArray().Single(c => c!["Id"].Str() == content.Key)!;
        var destination = piece["DestinationUrl"]?.GetValue<string>() ?? fixture["campaigns"]![0]!["DestinationUrl"].Str();
        using var browser = app.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{code["Code"].Str()}");
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36");
        var redirect = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith(destination + "?ref=" + code["Code"].Str(), redirect.Headers.Location!.ToString());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        long clicks;
        do
        {
            await Task.Delay(300);
            var stats = await (await admin.GetAsync($"/api/v1/content/{content.Key}/stats")).AssertJsonAsync(HttpStatusCode.OK);
            clicks = stats["clicks"]!.GetValue<long>();
        } while (clicks != content.Clicks + 1 && DateTime.UtcNow < deadline);
        Assert.Equal(content.Clicks + 1, clicks);

        var stored = await StoredPayloadAsync(connectionString, content);
        Assert.DoesNotContain("$type", stored);
        Assert.Equal(content.Clicks + 1, JsonNode.Parse(stored)!["Traffic"]!["Days"]!.AsObject().Sum(d => d.Value!["Clicks"]!.GetValue<long>()));
    });

    private sealed class LegacyState
    {
        public LegacyState(Engine engine, JsonNode row)
        {
            Row = row;
            Payload = row["payload"].Str();
            var (type, key) = engine == Engine.Sqlite
                ? (row["grainType"].Str(), row["grainId"].Str().Split('/', 2)[1])
                : (row["grainTypeString"].Str(), row["grainIdExtensionString"].Str());
            Key = key;
            Subject = type switch { "ambassador" => "ambassadors", "campaign" => "campaigns", "content" => "content", _ => null };
            var days = JsonNode.Parse(Payload)!["Traffic"]?["Days"]?.AsObject().Where(d => d.Key != "$id" && d.Key != "$type").ToList() ?? [];
            long Sum(string field) => days.Sum(d => d.Value![field]?.GetValue<long>() ?? 0);
            (Clicks, UniqueVisitors, BotClicks) = (Sum("Clicks"), Sum("UniqueVisitors"), Sum("BotClicks"));
        }

        public JsonNode Row { get; }
        public string Payload { get; }
        public string Key { get; }
        /// <summary>The API path segment of the entity, or null for a referral code.</summary>
        public string? Subject { get; }
        public long Clicks { get; }
        public long UniqueVisitors { get; }
        public long BotClicks { get; }
    }

    /// <summary>The relational records the stored grain state belongs to, as the old version had them.</summary>
    private static async Task SeedRecordsAsync(AmbassadorsApp app, JsonNode fixture, List<LegacyState> states)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = app.Db();
        foreach (var c in fixture["campaigns"]!.AsArray())
        {
            db.Campaigns.Add(new Campaign
            {
                Id = c!["Id"].Str(), Name = c["Name"].Str(), Objective = CampaignObjective.Sales, Status = CampaignStatus.Active,
                DestinationUrl = c["DestinationUrl"].Str(), Currency = c["Currency"].Str(), AttributionWindowDays = 30, HoldingPeriodDays = 14,
                MemberCount = 1, CreatedAt = now, UpdatedAt = now, Version = 1,
            });
        }
        foreach (var a in fixture["ambassadors"]!.AsArray())
        {
            var profile = JsonNode.Parse(states.Single(s => s.Subject == "ambassadors" && s.Key == a!["Id"].Str()).Payload)!["Profile"]!;
            db.Ambassadors.Add(new Ambassador
            {
                Id = a!["Id"].Str(), Name = a["Name"].Str(), Email = a["Email"].Str(), NormalizedEmail = a["Email"].Str(), CreatedAt = now,
                SocialProfiles = profile["SocialProfiles"]!["$values"]!.AsArray().Select(p => new SocialProfile
                {
                    Network = p!["Network"].Str(), Handle = p["Handle"].Str(), Followers = p["Followers"]!.GetValue<long>(),
                }).ToList(),
            });
        }
        foreach (var code in fixture["referralCodes"]!.AsArray().Where(c => c!["ContentId"] is null))
        {
            db.Memberships.Add(new Membership
            {
                CampaignId = code!["CampaignId"].Str(), AmbassadorId = code["AmbassadorId"].Str(), ReferralCode = code["Code"].Str(), JoinedAt = now,
            });
        }
        foreach (var piece in fixture["content"]!.AsArray())
        {
            db.Content.Add(new ContentPiece
            {
                Id = piece!["Id"].Str(), CampaignId = piece["CampaignId"].Str(), Title = piece["Title"].Str(),
                DestinationUrl = piece["DestinationUrl"]?.GetValue<string>(), CreatedAt = now,
            });
        }
        foreach (var code in fixture["referralCodes"]!.AsArray())
        {
            db.ReferralCodes.Add(new ReferralCode
            {
                Code = code!["Code"].Str(), AmbassadorId = code["AmbassadorId"].Str(), CampaignId = code["CampaignId"].Str(),
                ContentId = code["ContentId"]?.GetValue<string>(), CreatedAt = now,
            });
        }
        await db.SaveChangesAsync();
    }

    private async Task SeedStatesAsync(string connectionString, JsonNode fixture)
    {
        foreach (var row in fixture["states"]!.AsArray())
        {
            if (engine == Engine.Sqlite)
            {
                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync();
                await using var insert = new SqliteCommand("""
                    INSERT INTO "OrleansGrainState" ("StateName", "GrainId", "GrainType", "Payload", "Version", "UpdatedAt")
                    VALUES ($stateName, $grainId, $grainType, $payload, $version, $updatedAt)
                    """, connection);
                insert.Parameters.AddWithValue("$stateName", row!["stateName"].Str());
                insert.Parameters.AddWithValue("$grainId", row["grainId"].Str());
                insert.Parameters.AddWithValue("$grainType", row["grainType"].Str());
                insert.Parameters.AddWithValue("$payload", System.Text.Encoding.UTF8.GetBytes(row["payload"].Str()));
                insert.Parameters.AddWithValue("$version", row["version"]!.GetValue<long>());
                insert.Parameters.AddWithValue("$updatedAt", DateTimeOffset.UtcNow.ToString("O"));
                await insert.ExecuteNonQueryAsync();
            }
            else
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO orleansstorage (grainidhash, graintypehash, grainidn0, grainidn1, serviceid, graintypestring,
                                                grainidextensionstring, payloadbinary, version)
                    VALUES (@grainIdHash, @grainTypeHash, @grainIdN0, @grainIdN1, @serviceId, @grainTypeString, @extension, @payload, @version)
                    """, connection);
                insert.Parameters.AddWithValue("grainIdHash", row!["grainIdHash"]!.GetValue<int>());
                insert.Parameters.AddWithValue("grainTypeHash", row["grainTypeHash"]!.GetValue<int>());
                insert.Parameters.AddWithValue("grainIdN0", row["grainIdN0"]!.GetValue<long>());
                insert.Parameters.AddWithValue("grainIdN1", row["grainIdN1"]!.GetValue<long>());
                insert.Parameters.AddWithValue("serviceId", row["serviceId"].Str());
                insert.Parameters.AddWithValue("grainTypeString", row["grainTypeString"].Str());
                insert.Parameters.AddWithValue("extension", row["grainIdExtensionString"].Str());
                insert.Parameters.AddWithValue("payload", System.Text.Encoding.UTF8.GetBytes(row["payload"].Str()));
                insert.Parameters.AddWithValue("version", row["version"]!.GetValue<int>());
                await insert.ExecuteNonQueryAsync();
            }
        }
    }

    private async Task<string> StoredPayloadAsync(string connectionString, LegacyState state)
    {
        if (engine == Engine.Sqlite)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var read = new SqliteCommand("""SELECT "Payload" FROM "OrleansGrainState" WHERE "GrainId" = $grainId""", connection);
            read.Parameters.AddWithValue("$grainId", state.Row["grainId"].Str());
            return System.Text.Encoding.UTF8.GetString((byte[])(await read.ExecuteScalarAsync())!);
        }
        await using var pg = new NpgsqlConnection(connectionString);
        await pg.OpenAsync();
        await using var select = new NpgsqlCommand(
            "SELECT payloadbinary FROM orleansstorage WHERE graintypestring = @type AND grainidextensionstring = @key", pg);
        select.Parameters.AddWithValue("type", state.Row["grainTypeString"].Str());
        select.Parameters.AddWithValue("key", state.Key);
        return System.Text.Encoding.UTF8.GetString((byte[])(await select.ExecuteScalarAsync())!);
    }
}

public sealed class LegacyGrainStateOnSqlite() : LegacyGrainStateTests(Engine.Sqlite);

public sealed class LegacyGrainStateOnPostgres() : LegacyGrainStateTests(Engine.Postgres);
