using System.Net;
using System.Text.Json.Nodes;

namespace Ambassadors.Tests.Http;

/// <summary>The OpenAPI document's request bodies say what API.md says is required, no more and no less.</summary>
public sealed class OpenApiContractTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    /// <summary>API.md's required fields per documented request body (operation id), and of the objects nested in them.</summary>
    private static readonly Dictionary<string, string[]> Contract = new()
    {
        ["CreateApiKey"] = ["name", "role"],
        ["CreateUser"] = ["email", "password", "role"],
        ["ChangeUserRole"] = ["role"],
        ["CreateCampaign"] = ["name", "objective", "destinationUrl", "currency"],
        ["UpdateCampaign"] = [],
        ["AddAmbassadorToCampaign"] = ["ambassadorId"],
        ["CreateContent"] = ["title"],
        ["UpdateContent"] = [],
        ["CreateAmbassador"] = ["name", "email"],
        ["UpdateAmbassador"] = [],
        ["RecordConversion"] = ["externalId", "kind"],
        ["ReverseConversion"] = [],
        ["SavePayoutDetails"] = ["method", "legalName", "country"],
        ["CreatePayoutBatch"] = ["periodEnd"],
        ["PreviewPayoutBatch"] = ["periodEnd"],
        ["MarkPayoutBatchPaid"] = [],
        ["CreateMission"] = ["title", "brief", "startsOn", "dueOn"],
        ["RejectSubmission"] = ["reason"],
        // Nested: a campaign's reward rules are each optional; a social profile is network, handle and followers.
        ["RewardRulesRequest"] = [],
        ["SocialProfileRequest"] = ["network", "handle", "followers"],
        // A campaign's KPI is a metric and its target; its scoring weights are each optional.
        ["KpiRequest"] = ["metric", "target"],
        ["ScoringRequest"] = [],
    };

    [SkippableFact]
    public async Task EveryDocumentedRequestBodyRequiresExactlyWhatTheContractRequires()
    {
        var document = await (await fixture.App.CreateClient().GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!.AsObject();
        var seen = new List<string>();
        foreach (var (_, path) in document["paths"]!.AsObject())
        {
            foreach (var (_, operation) in path!.AsObject())
            {
                if (operation!["requestBody"] is not { } body) continue;
                var id = operation["operationId"].Str();
                Assert.True(Contract.ContainsKey(id), $"{id} has a request body the contract table does not list: add what API.md requires.");
                foreach (var (mediaType, content) in body["content"]!.AsObject())
                {
                    var schema = Resolve(content!["schema"]!, schemas);
                    Assert.True(Contract[id].ToHashSet().SetEquals(Required(schema)),
                        $"{id} ({mediaType}) requires [{string.Join(", ", Required(schema))}]; API.md requires [{string.Join(", ", Contract[id])}].");
                }
                seen.Add(id);
            }
        }
        string[] nestedSchemas = ["RewardRulesRequest", "SocialProfileRequest", "KpiRequest", "ScoringRequest"];
        foreach (var nested in nestedSchemas)
        {
            Assert.True(Contract[nested].ToHashSet().SetEquals(Required(schemas[nested]!)), $"{nested} requires [{string.Join(", ", Required(schemas[nested]!))}].");
        }
        Assert.Empty(Contract.Keys.Except(seen).Except(nestedSchemas));
    }

    private static JsonNode Resolve(JsonNode schema, JsonObject schemas)
    {
        if (schema["$ref"] is { } reference) return schemas[reference.Str().Split('/')[^1]]!;
        var alternative = schema["oneOf"]?.AsArray().FirstOrDefault(s => s!["$ref"] is not null);
        return alternative is null ? schema : Resolve(alternative, schemas);
    }

    private static HashSet<string> Required(JsonNode schema) =>
        schema["required"]?.AsArray().Select(r => r.Str()).ToHashSet() ?? [];
}
