using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.AmbassadorProfiles;

/// <summary>PATCH /api/v1/ambassadors/{id}: a JSON Merge Patch with the rules of POST, audited; country on POST and GET.</summary>
public abstract class AmbassadorPatchTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static StringContent MergePatch(string json) => new(json, Encoding.UTF8, "application/merge-patch+json");

    [SkippableFact]
    public async Task APatchChangesWhatItSendsKeepsTheRestAndIsAudited()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await PeopleSeed.AmbassadorAsync(admin, "Sanne Bakker", $"sanne.{tag}@example.com", country: "nl", followers: 700);
        var read = await (await admin.GetAsync($"/api/v1/ambassadors/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("NL", read["country"].Str());

        var patched = await (await admin.PatchAsync($"/api/v1/ambassadors/{id}", MergePatch("""{"country":"be","name":"Sanne Bakker-Smit"}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("BE", patched["country"].Str());
        Assert.Equal("Sanne Bakker-Smit", patched["name"].Str());
        Assert.Equal($"sanne.{tag}@example.com", patched["email"].Str());
        Assert.Equal(700, patched["potentialReach"]!.GetValue<long>());

        var profiles = await (await admin.PatchAsync($"/api/v1/ambassadors/{id}",
            MergePatch("""{"socialProfiles":[{"network":"YouTube","handle":"sanne","followers":"5000"}],"country":null}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(profiles["country"]);
        Assert.Equal("youtube", profiles["socialProfiles"]![0]!["network"].Str());
        Assert.Equal(5000, profiles["potentialReach"]!.GetValue<long>());

        var cleared = await (await admin.PatchAsync($"/api/v1/ambassadors/{id}", MergePatch("""{"socialProfiles":null}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, cleared["potentialReach"]!.GetValue<long>());

        await using var db = App.Db();
        Assert.Equal(3, await db.AuditLog.CountAsync(e => e.EntityId == id && e.Action == "ambassador.updated"));
    }

    [SkippableFact]
    public async Task APatchIsRefusedWithTheFieldsWhenInvalidAndWithA409ForATakenEmail()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await PeopleSeed.AmbassadorAsync(admin, "Other", $"other.{tag}@example.com");
        var id = await PeopleSeed.AmbassadorAsync(admin, "Tim", $"tim.{tag}@example.com");

        var invalid = await (await admin.PatchAsync($"/api/v1/ambassadors/{id}",
            MergePatch("""{"name":null,"email":"not-an-email","country":"XX","socialProfiles":[{"network":"x","handle":"","followers":-1}]}""")))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var errors = invalid["errors"]!.AsObject();
        foreach (var field in new[] { "name", "email", "country", "socialProfiles[0].handle", "socialProfiles[0].followers" })
        {
            Assert.True(errors.ContainsKey(field), $"{field} is not named: {errors.ToJsonString()}");
        }
        await (await admin.PatchAsync($"/api/v1/ambassadors/{id}", MergePatch($$"""{"email":"OTHER.{{tag}}@example.com"}""")))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchAsync("/api/v1/ambassadors/amb_nobody", MergePatch("""{"name":"X"}"""))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/v1/ambassadors", new { name = "Bad", email = $"bad.{tag}@example.com", country = "Holland" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Tim", (await (await admin.GetAsync($"/api/v1/ambassadors/{id}")).AssertJsonAsync(HttpStatusCode.OK))["name"].Str());
    }
}

public sealed class AmbassadorPatchOnSqlite(SqliteFixture fixture) : AmbassadorPatchTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AmbassadorPatchOnPostgres(PostgresFixture fixture) : AmbassadorPatchTests(fixture), IClassFixture<PostgresFixture>;
