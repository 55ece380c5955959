using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Http;

/// <summary>
/// One bad request to a write route (or a list's query), and what must come back: the status, a problem+json body
/// (whatever the Accept header), the field named as the client sent it, and nothing stored.
/// </summary>
public sealed record BadInput(string Name, HttpMethod Method, string Path, string? Body, HttpStatusCode Status, string? Field,
    string? Accept = null, string Key = "admin", string ContentType = "application/json");

/// <summary>
/// The table-driven bad-input test (issue 11, "Tests"): every write route, with wrong JSON types, formats, control
/// characters, decimals in every notation, dates at the calendar's edges and odd Accept headers.
/// </summary>
public abstract class BadInputTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private enum Kind { Text, MultiLineText, Enum, Money, Percent, Whole, Date, Instant, ExternalId }

    private sealed record Route(string Name, HttpMethod Method, string Path, string? ValidBody, bool BodyRequired, (string Field, Kind Kind)[] Fields);

    // Ids in paths are filled in per app: {campaign}, {ambassador} (has a membership), {newcomer} (has none), {externalId}, {batch}.
    private static readonly Route[] Routes =
    [
        new("create campaign", HttpMethod.Post, "/api/v1/campaigns",
            """{"name":"Valid","objective":"sales","destinationUrl":"https://shop.example","currency":"EUR"}""", true,
            [("name", Kind.Text), ("objective", Kind.Enum), ("destinationUrl", Kind.Text), ("currency", Kind.Text), ("startsOn", Kind.Date),
             ("endsOn", Kind.Date), ("capacity", Kind.Whole), ("attributionWindowDays", Kind.Whole), ("holdingPeriodDays", Kind.Whole),
             ("rewards.perLead", Kind.Money), ("rewards.perSale", Kind.Money), ("rewards.salePercent", Kind.Percent), ("status", Kind.Enum)]),
        new("change campaign", HttpMethod.Patch, "/api/v1/campaigns/{campaign}", """{"name":"Renamed"}""", true,
            [("name", Kind.Text), ("objective", Kind.Enum), ("status", Kind.Enum), ("destinationUrl", Kind.Text), ("startsOn", Kind.Date),
             ("endsOn", Kind.Date), ("capacity", Kind.Whole), ("attributionWindowDays", Kind.Whole), ("rewards.perSale", Kind.Money),
             ("rewards.salePercent", Kind.Percent)]),
        new("enrol", HttpMethod.Post, "/api/v1/campaigns/{campaign}/ambassadors", """{"ambassadorId":"{newcomer}"}""", true,
            [("ambassadorId", Kind.Text), ("referralCode", Kind.Text), ("referredBy", Kind.Text)]),
        new("create content", HttpMethod.Post, "/api/v1/campaigns/{campaign}/content", """{"title":"Spring look"}""", true,
            [("title", Kind.Text), ("body", Kind.MultiLineText), ("mediaUrl", Kind.Text), ("destinationUrl", Kind.Text)]),
        new("create ambassador", HttpMethod.Post, "/api/v1/ambassadors",
            """{"name":"Bea","email":"bea.badinput@example.com","socialProfiles":[{"network":"instagram","handle":"@bea","followers":10}]}""", true,
            [("name", Kind.Text), ("email", Kind.Text), ("socialProfiles[0].network", Kind.Text), ("socialProfiles[0].handle", Kind.Text),
             ("socialProfiles[0].followers", Kind.Whole), ("country", Kind.Text)]),
        new("change ambassador", HttpMethod.Patch, "/api/v1/ambassadors/{ambassador}",
            """{"name":"Renamed","socialProfiles":[{"network":"instagram","handle":"@renamed","followers":10}]}""", true,
            [("name", Kind.Text), ("email", Kind.Text), ("country", Kind.Text), ("socialProfiles[0].network", Kind.Text),
             ("socialProfiles[0].handle", Kind.Text), ("socialProfiles[0].followers", Kind.Whole)]),
        new("record conversion", HttpMethod.Post, "/api/v1/conversions",
            """{"externalId":"bad-input-sale","kind":"sale","amount":"10.00","currency":"EUR","referralCode":"{code}"}""", true,
            [("externalId", Kind.ExternalId), ("kind", Kind.Enum), ("amount", Kind.Money), ("currency", Kind.Text), ("referralCode", Kind.Text),
             ("clickId", Kind.Text), ("customerId", Kind.Text), ("occurredAt", Kind.Instant)]),
        new("reverse conversion", HttpMethod.Post, "/api/v1/conversions/{externalId}/reversal", """{"reason":"refund"}""", false,
            [("reason", Kind.MultiLineText)]),
        new("save payout details", HttpMethod.Put, "/api/v1/ambassadors/{ambassador}/payout-details",
            """{"method":"bank","legalName":"Anna de Vries","country":"NL","iban":"NL91ABNA0417164300","bic":"ABNANL2A"}""", true,
            [("method", Kind.Enum), ("legalName", Kind.Text), ("country", Kind.Text), ("iban", Kind.Text), ("bic", Kind.Text), ("taxId", Kind.Text)]),
        new("create payout batch", HttpMethod.Post, "/api/v1/payouts", """{"periodEnd":"2026-01-31","minimumAmount":0}""", true,
            [("periodEnd", Kind.Date), ("minimumAmount", Kind.Money)]),
        new("preview payout batch", HttpMethod.Post, "/api/v1/payouts/preview", """{"periodEnd":"2026-01-31"}""", true,
            [("periodEnd", Kind.Date), ("minimumAmount", Kind.Money)]),
        new("mark batch paid", HttpMethod.Post, "/api/v1/payouts/{batch}/paid", """{"paymentDate":"2026-01-31","reference":"SEPA-1"}""", false,
            [("paymentDate", Kind.Date), ("reference", Kind.Text)]),
        new("create api key", HttpMethod.Post, "/api/v1/api-keys", """{"name":"Shop","role":"merchant"}""", true,
            [("name", Kind.Text), ("role", Kind.Enum)]),
        new("create user", HttpMethod.Post, "/api/v1/users", """{"email":"badinput@example.com","password":"Str0ng-Passw0rd","role":"manager"}""", true,
            [("email", Kind.Text), ("password", Kind.Text), ("role", Kind.Enum)]),
    ];

    /// <summary>Values that must be refused, per kind of field, as raw JSON.</summary>
    private static readonly Dictionary<Kind, string[]> Refused = new()
    {
        [Kind.Text] = ["123", "true", """{"a":1}""", """["x"]""", "\"a\\u0000b\"", "\"a\\u001bb\"", "\"a\\u007fb\"", "\"a\\nb\"", "\"trailing\\r\\n\""],
        [Kind.MultiLineText] = ["123", "\"a\\u0000b\"", "\"a\\u0008b\"", "\"a\\u007fb\""],
        [Kind.Enum] = ["5", "true", "\"a\\u0000\"", """{"x":1}"""],
        [Kind.Money] = ["1e-30", "1E-3", "0.001", "0.1e-2", "\"1.005\"", "\"1e3\"", "\"+5\"", "\" 5\"", "\"5.\"", "1e400", "-1e400", "\"abc\"", "true", """{"v":1}"""],
        [Kind.Percent] = ["1e-30", "0.00001", "1e-5", "\"1e1\"", "\"+5\"", "1e400", "true"],
        [Kind.Whole] = ["\"abc\"", "1.5", "1e-1", "1e400", "true", "\"+5\"", "\"1e1\"", "[]", "99999999999999999999"],
        [Kind.Date] = ["\"2026-02-30\"", "\"2025-02-29\"", "\"9999-12-31\"", "\"2101-01-01\"", "\"1999-12-31\"", "\"0001-01-01\"", "20260101",
                       "\"2026-1-1\"", "\"31/01/2026\"", "\"2026-01-31T00:00:00Z\"", "\"\\u00002026-01-31\""],
        [Kind.Instant] = ["\"abc\"", "5", "\"2026-02-30T10:00:00Z\""],
        [Kind.ExternalId] = ["\"order/1001\"", "\"../etc\"", "\"<script>alert(1)</script>\"", "\"a b\"", "\"a\\u0000\"", "\"é\"", "\"a?b\"",
                             "\"a%2Fb\"", $"\"{new string('x', 129)}\"", "123"],
    };

    private static readonly string[] OddAccepts = ["text/html", "application/xml", "text/plain"];

    public static readonly IReadOnlyDictionary<string, BadInput> Cases = Build();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    private static Dictionary<string, BadInput> Build()
    {
        var cases = new List<BadInput>();
        foreach (var route in Routes)
        {
            foreach (var (field, kind) in route.Fields)
            {
                foreach (var value in Refused[kind])
                {
                    cases.Add(new($"{route.Name}: {field} = {value}", route.Method, route.Path, With(route.ValidBody!, field, value),
                        HttpStatusCode.UnprocessableEntity, field));
                }
            }
            cases.Add(new($"{route.Name}: not JSON", route.Method, route.Path, "{\"name\": ", HttpStatusCode.BadRequest, null));
            cases.Add(new($"{route.Name}: an array", route.Method, route.Path, "[]", HttpStatusCode.BadRequest, null));
            cases.Add(new($"{route.Name}: a form", route.Method, route.Path, "name=x", HttpStatusCode.UnsupportedMediaType, null,
                ContentType: "application/x-www-form-urlencoded"));
            if (route.BodyRequired) cases.Add(new($"{route.Name}: no body", route.Method, route.Path, null, HttpStatusCode.BadRequest, null));
            var (firstField, firstKind) = route.Fields[0];
            foreach (var accept in OddAccepts)
            {
                cases.Add(new($"{route.Name}: no key, Accept {accept}", route.Method, route.Path, route.ValidBody, HttpStatusCode.Unauthorized, null,
                    accept, Key: "none"));
                cases.Add(new($"{route.Name}: not JSON, Accept {accept}", route.Method, route.Path, "{", HttpStatusCode.BadRequest, null, accept));
                cases.Add(new($"{route.Name}: {firstField} refused, Accept {accept}", route.Method, route.Path,
                    With(route.ValidBody!, firstField, Refused[firstKind][0]), HttpStatusCode.UnprocessableEntity, firstField, accept));
            }
        }
        foreach (var accept in OddAccepts)
        {
            // Roles, unknown routes and methods answer problems too.
            cases.Add(new($"wrong role, Accept {accept}", HttpMethod.Post, "/api/v1/payouts", """{"periodEnd":"2026-01-31"}""",
                HttpStatusCode.Forbidden, null, accept, Key: "merchant"));
            cases.Add(new($"unknown route, Accept {accept}", HttpMethod.Post, "/api/v1/nothing-here", "{}", HttpStatusCode.NotFound, null, accept));
            cases.Add(new($"wrong method, Accept {accept}", HttpMethod.Delete, "/api/v1/campaigns", null, HttpStatusCode.MethodNotAllowed, null, accept));
        }
        // Query parameters that cannot be read: 422 naming the parameter as sent.
        foreach (var (path, field) in new[]
                 {
                     ("/api/v1/campaigns?limit=abc", "limit"), ("/api/v1/campaigns?offset=1.5", "offset"), ("/api/v1/ambassadors?limit=1e3", "limit"),
                     ("/api/v1/conversions?from=2026-02-30", "from"), ("/api/v1/conversions?to=9999-12-31", "to"),
                     ("/api/v1/conversions?from=2026-02-01&to=2026-01-01", "to"), ("/api/v1/campaigns/{campaign}/stats?from=1999-12-31", "from"),
                     ("/api/v1/campaigns/{campaign}/stats?from=2026-02-01&to=2026-01-01", "to"), ("/api/v1/ambassadors?search=a%00b", "search"),
                 })
        {
            cases.Add(new($"query {path}", HttpMethod.Get, path, null, HttpStatusCode.UnprocessableEntity, field));
        }
        return cases.ToDictionary(c => c.Name);
    }

    /// <summary>The valid body with one field (a dotted path, "rewards.perSale", "socialProfiles[0].followers") set to raw JSON.</summary>
    private static string With(string validBody, string field, string rawValue)
    {
        var body = JsonNode.Parse(validBody)!.AsObject();
        var target = body;
        var parts = field.Split('.');
        foreach (var part in parts[..^1])
        {
            target = part.EndsWith("[0]", StringComparison.Ordinal)
                ? (JsonObject)target[part[..^3]]![0]!
                : target[part] as JsonObject ?? (JsonObject)(target[part] = new JsonObject());
        }
        // Spliced in as text, so notations like 1e-30 and escapes reach the service exactly as written.
        target[parts[^1]] = "@@raw@@";
        return body.ToJsonString().Replace("\u0022@@raw@@\u0022", rawValue, StringComparison.Ordinal).Replace("\"@@raw@@\"", rawValue, StringComparison.Ordinal);
    }

    private sealed record Seeded(Dictionary<string, string> Ids, Dictionary<string, string> Keys);

    private static readonly ConcurrentDictionary<AmbassadorsApp, Lazy<Task<Seeded>>> Seeds = new();

    /// <summary>What the paths need, made once per app: a campaign with a member, a newcomer, a conversion, an approved batch.</summary>
    private Task<Seeded> SeedAsync() => Seeds.GetOrAdd(App, app => new Lazy<Task<Seeded>>(async () =>
    {
        var admin = app.Admin();
        var (campaignId, ambassadorId, code) = await admin.PayingCampaignAsync();
        var newcomer = (await admin.CreateAmbassadorAsync())["id"].Str();
        var merchant = app.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var externalId = (await merchant.LeadsAsync(code, 1))[0];
        var ids = new Dictionary<string, string>
        {
            ["{campaign}"] = campaignId, ["{ambassador}"] = ambassadorId, ["{newcomer}"] = newcomer, ["{code}"] = code,
            ["{externalId}"] = externalId, ["{batch}"] = "pay_unknown0000000000",
        };
        var keys = new Dictionary<string, string> { ["admin"] = AmbassadorsApp.AdminKey, ["merchant"] = await admin.NewKeyAsync("merchant") };
        return new Seeded(ids, keys);
    })).Value;

    /// <summary>Everything a refused request could have changed, as one comparable string.</summary>
    private async Task<string> StoredAsync()
    {
        await using var db = App.Db();
        var parts = new object[]
        {
            await db.Campaigns.CountAsync(), await db.Campaigns.SumAsync(c => c.Version), await db.Ambassadors.CountAsync(),
            await db.Memberships.CountAsync(), await db.Content.CountAsync(), await db.ReferralCodes.CountAsync(),
            await db.Conversions.CountAsync(), await db.Conversions.CountAsync(c => c.ReversedAt != null), await db.Ledger.CountAsync(),
            await db.PayoutDetails.CountAsync(), await db.PayoutBatches.CountAsync(), await db.ApiKeys.CountAsync(),
            await db.Users.CountAsync(), await db.AuditLog.CountAsync(),
        };
        return string.Join(",", parts);
    }

    [SkippableTheory]
    [MemberData(nameof(CaseNames))]
    public async Task ABadRequestIsRefusedWithAProblemNamingTheFieldAndNothingIsStored(string name)
    {
        var bad = Cases[name];
        var seeded = await SeedAsync();
        string Fill(string text) => seeded.Ids.Aggregate(text, (t, id) => t.Replace(id.Key, id.Value, StringComparison.Ordinal));

        var before = await StoredAsync();
        using var request = new HttpRequestMessage(bad.Method, Fill(bad.Path));
        if (bad.Body is not null) request.Content = new StringContent(Fill(bad.Body), Encoding.UTF8, bad.ContentType);
        if (bad.Accept is not null) request.Headers.Accept.ParseAdd(bad.Accept);
        if (seeded.Keys.TryGetValue(bad.Key, out var key)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await App.CreateClient().SendAsync(request);

        var problem = await response.AssertProblemAsync(bad.Status);
        var text = problem.ToJsonString();
        foreach (var framework in new[] { "Implicit body", "Failed to bind", "Nullable", "System.", "Microsoft.", "could not be converted", "LineNumber" })
        {
            Assert.DoesNotContain(framework, text);
        }
        if (bad.Field is not null)
        {
            var errors = problem["errors"]?.AsObject();
            Assert.True(errors?.ContainsKey(bad.Field) == true, $"Expected an error for '{bad.Field}': {text}");
        }
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public void TheTableCoversEveryWriteRouteWithEveryKindOfBadInput()
    {
        Assert.True(Cases.Count > 300, $"{Cases.Count} cases");
        Assert.All(Routes, route => Assert.Contains(Cases.Values, c => c.Path == route.Path && c.Status == HttpStatusCode.UnprocessableEntity));
    }
}

public sealed class BadInputOnSqlite(SqliteFixture fixture) : BadInputTests(fixture), IClassFixture<SqliteFixture>;

public sealed class BadInputOnPostgres(PostgresFixture fixture) : BadInputTests(fixture), IClassFixture<PostgresFixture>;
