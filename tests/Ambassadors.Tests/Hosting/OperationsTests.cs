using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Data;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ambassadors.Tests.Hosting;

public abstract class OperationsTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task HealthSaysStorageIsMigratedAndTheSiloIsUp()
    {
        var health = await (await App.ClientWithKey(null).GetAsync("/health")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("healthy", health["status"].Str());
        Assert.Equal("healthy", health["checks"]!["storage"]!["status"].Str());
        Assert.Contains("migrated", health["checks"]!["storage"]!["description"].Str());
        Assert.Equal("healthy", health["checks"]!["silo"]!["status"].Str());
    }

    [SkippableFact]
    public async Task TheOpenApiDocumentNamesAndDescribesEveryEndpoint()
    {
        var document = await (await App.ClientWithKey(null).GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("http", document["components"]!["securitySchemes"]!["apiKey"]!["type"].Str());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["apiKey"]!["scheme"].Str());
        var paths = document["paths"]!.AsObject();
        foreach (var route in new[]
                 {
                     "/api/v1/campaigns", "/api/v1/campaigns/{id}", "/api/v1/campaigns/{id}/ambassadors", "/api/v1/campaigns/{id}/content",
                     "/api/v1/ambassadors", "/api/v1/ambassadors/{id}", "/api/v1/ambassadors/{id}/links", "/api/v1/api-keys", "/api/v1/users",
                 })
        {
            Assert.True(paths.ContainsKey(route), $"{route} missing from the OpenAPI document");
        }
        var required = document["components"]!["schemas"]!["CreateCampaignRequest"]!["required"]!.AsArray().Select(n => n.Str()).Order();
        Assert.Equal(new[] { "currency", "destinationUrl", "name", "objective" }, required);
        Assert.True(paths["/api/v1/campaigns"]!["post"]!["responses"]!.AsObject().ContainsKey("422"));

        foreach (var (path, item) in paths)
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty(operation!["operationId"]?.GetValue<string>()), $"{method} {path} has no operationId");
                Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
                if (path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    Assert.False(string.IsNullOrEmpty(operation["description"]?.GetValue<string>()), $"{method} {path} has no description");
                    var responses = operation["responses"]!.AsObject();
                    Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{method} {path} does not document 401/403");
                }
            }
        }
    }

    [SkippableFact]
    public async Task UnknownRoutesAnswerWithAProblem()
    {
        await (await App.Admin().GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class OperationsOnSqlite(SqliteFixture fixture) : OperationsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class OperationsOnPostgres(PostgresFixture fixture) : OperationsTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>Stopping and starting the service on the same database keeps everything.</summary>
public class RestartTests
{
    [SkippableTheory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task DataSurvivesARestartOnTheSameDatabase(Engine engine)
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            string campaignId, ambassadorId, code, key;
            await using (var first = new AmbassadorsApp(engine, database, $"restart-{Guid.NewGuid():N}"))
            {
                var admin = first.Admin();
                key = await admin.NewKeyAsync("manager");
                campaignId = (await admin.CreateCampaignAsync())["id"].Str();
                ambassadorId = (await admin.CreateAmbassadorAsync(followers: 4200))["id"].Str();
                code = (await (await admin.EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
            }
            await using var second = new AmbassadorsApp(engine, database, $"restart-{Guid.NewGuid():N}");
            var manager = second.ClientWithKey(key);
            var campaign = await (await manager.GetAsync($"/api/v1/campaigns/{campaignId}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(1, (int)campaign["members"]!);
            Assert.Equal("2026-09-01", campaign["startsOn"].Str());
            Assert.Equal(10.00m, (decimal)campaign["rewards"]!["perSale"]!);
            var ambassador = await (await manager.GetAsync($"/api/v1/ambassadors/{ambassadorId}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(4200, (long)ambassador["potentialReach"]!);
            var links = await (await manager.GetAsync($"/api/v1/ambassadors/{ambassadorId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
            Assert.Equal(code, links.Single()!["code"].Str());
        });
    }

    [Fact]
    public void WithNothingConfiguredTheServiceUsesAnSqliteFileUnderData()
    {
        var settings = StorageSettings.From(new ConfigurationBuilder().Build());
        Assert.Equal(StorageEngine.Sqlite, settings.Engine);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data", "ambassadors.db"), settings.SqliteFile);
    }

    [Fact]
    public void AnUnknownEngineOrAMissingPostgresConnectionIsAClearStartupError()
    {
        var oracle = Assert.Throws<InvalidOperationException>(() => StorageSettings.From(Config(("Ambassadors:Database", "oracle"))));
        Assert.Contains("'sqlite'", oracle.Message);
        var postgres = Assert.Throws<InvalidOperationException>(() => StorageSettings.From(Config(("Ambassadors:Database", "postgres"))));
        Assert.Contains("ConnectionStrings:Ambassadors", postgres.Message);
    }

    [Fact]
    public void PostgresContextsPrepareRepeatedStatementsUnlessTheOperatorSaysOtherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(AppDbContextFactory.ForContexts("Host=db;Database=a;Username=u;Password=p"));
        Assert.Equal((256, 2), (tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages));
        Assert.Equal(("db", "a", "u", "p"), (tuned.Host, tuned.Database, tuned.Username, tuned.Password));

        var operators = new NpgsqlConnectionStringBuilder(AppDbContextFactory.ForContexts(
            "Host=db;Database=a;Max Auto Prepare=0;AutoPrepareMinUsages=5"));
        Assert.Equal((0, 5), (operators.MaxAutoPrepare, operators.AutoPrepareMinUsages));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();
}
