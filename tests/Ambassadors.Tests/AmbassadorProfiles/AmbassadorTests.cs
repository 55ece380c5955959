using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.AmbassadorProfiles;

public abstract class AmbassadorTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AnAmbassadorsReachIsTheSumOfTheirFollowers()
    {
        var admin = App.Admin();
        var email = $"Marco.{Guid.NewGuid():N}@Example.com";
        var created = await (await admin.PostJsonAsync("/api/v1/ambassadors", new
        {
            name = "Marco Rossi",
            email,
            socialProfiles = new object[]
            {
                new { network = "instagram", handle = "@marco", followers = 12_500 },
                new { network = "youtube", handle = "marcodrives", followers = "3000" },
            },
        })).AssertJsonAsync(HttpStatusCode.Created);
        var id = created["id"].Str();
        Assert.StartsWith("amb_", id);

        var read = await (await admin.GetAsync($"/api/v1/ambassadors/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Marco Rossi", read["name"].Str());
        Assert.Equal(email, read["email"].Str());
        Assert.Equal(15_500, (long)read["potentialReach"]!);
        Assert.Equal(2, read["socialProfiles"]!.AsArray().Count);
        Assert.Equal("youtube", read["socialProfiles"]![1]!["network"].Str());
    }

    [SkippableFact]
    public async Task AmbassadorsCanBeFoundByNameOrEmail()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var created = await (await admin.PostJsonAsync("/api/v1/ambassadors", new { name = $"Findable {tag}", email = $"x{tag}@example.com" }))
            .AssertJsonAsync(HttpStatusCode.Created);

        foreach (var term in new[] { tag.ToUpperInvariant(), $"findable {tag}", $"X{tag}@EXAMPLE" })
        {
            var found = await (await admin.GetAsync($"/api/v1/ambassadors?search={Uri.EscapeDataString(term)}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(created["id"].Str(), Assert.Single(found["items"]!.AsArray())!["id"].Str());
        }
        var none = await (await admin.GetAsync("/api/v1/ambassadors?search=%25")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Empty(none["items"]!.AsArray());
    }

    [SkippableFact]
    public async Task AnEmailBelongsToOneAmbassadorWhateverItsCase()
    {
        var admin = App.Admin();
        var email = $"lena.{Guid.NewGuid():N}@example.com";
        await admin.CreateAmbassadorAsync(email);
        await (await admin.PostJsonAsync("/api/v1/ambassadors", new { name = "Other Lena", email = email.ToUpperInvariant() }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        await using var db = App.Db();
        Assert.Equal(1, await db.Ambassadors.CountAsync(a => a.NormalizedEmail == email));
        Assert.False(await db.Ambassadors.AnyAsync(a => a.Name == "Other Lena"));
    }

    [SkippableFact]
    public async Task ConcurrentSignUpsWithOneEmailStoreOneAmbassador()
    {
        var admin = App.Admin();
        var email = $"race.{Guid.NewGuid():N}@example.com";
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            admin.PostJsonAsync("/api/v1/ambassadors", new { name = "Racer", email })));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await using var db = App.Db();
        Assert.Equal(1, await db.Ambassadors.CountAsync(a => a.NormalizedEmail == email));
    }

    public static TheoryData<string, string> BadAmbassadors => new()
    {
        { "{\"name\":\"A\",\"email\":\"not-an-email\"}", "email" },
        { "{\"name\":\"A\"}", "email" },
        { "{\"email\":\"a@example.com\"}", "name" },
        { "{\"name\":\"A\",\"email\":\"a@example.com\",\"socialProfiles\":[{\"network\":\"x\",\"handle\":\"h\",\"followers\":-5}]}", "socialProfiles[0].followers" },
        { "{\"name\":\"A\",\"email\":\"a@example.com\",\"socialProfiles\":[{\"handle\":\"h\",\"followers\":5}]}", "socialProfiles[0].network" },
        { $"{{\"name\":\"{new string('n', 5000)}\",\"email\":\"a@example.com\"}}", "name" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadAmbassadors))]
    public async Task BadAmbassadorsAreRefusedFieldByField(string json, string field)
    {
        var problem = await (await App.Admin().PostRawAsync("/api/v1/ambassadors", json)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]![field]);
        await using var db = App.Db();
        Assert.False(await db.Ambassadors.AnyAsync(a => a.NormalizedEmail == "a@example.com"));
    }

    [SkippableFact]
    public async Task WrongTypesAndUnknownIdsGetProblems()
    {
        var admin = App.Admin();
        await (await admin.PostRawAsync("/api/v1/ambassadors", "{\"name\":\"A\",\"email\":\"a@example.com\",\"socialProfiles\":{\"network\":1}}"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.PostAsync("/api/v1/ambassadors", new StringContent("name=A", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded")))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await admin.GetAsync("/api/v1/ambassadors/amb_abcdefghijkmnpqr")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/ambassadors/amb_abcdefghijkmnpqr/links")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class AmbassadorsOnSqlite(SqliteFixture fixture) : AmbassadorTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AmbassadorsOnPostgres(PostgresFixture fixture) : AmbassadorTests(fixture), IClassFixture<PostgresFixture>;
