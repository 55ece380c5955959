using Ambassadors.Data;
using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Access;

public abstract class AccessTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task ACallWithoutAKeyIsRefusedWith401Problem()
    {
        var response = await App.ClientWithKey(null).GetAsync("/api/v1/campaigns/cmp_abcdefghijkmnpqr");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task AnUnknownKeyIsRefusedWith401()
    {
        var response = await App.ClientWithKey("amk_not-a-real-key").PostJsonAsync("/api/v1/ambassadors", new { name = "X", email = "x@example.com" });
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await using var db = App.Db();
        Assert.False(await db.Ambassadors.AnyAsync(a => a.Email == "x@example.com"));
    }

    [SkippableFact]
    public async Task ACreatedKeyIsShownOnceAndStoredOnlyAsItsHash()
    {
        var response = await App.Admin().PostJsonAsync("/api/v1/api-keys", new { name = "Webshop", role = "merchant" });
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);
        var key = created["key"].Str();
        Assert.Equal("merchant", created["role"].Str());
        Assert.True(key.Length >= 30);

        await using var db = App.Db();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == created["id"].Str());
        Assert.Equal(ApiKeys.Hash(key), stored.KeyHash);
        Assert.DoesNotContain(await db.ApiKeys.Select(k => k.KeyHash + k.Prefix + k.Name).ToListAsync(), s => s.Contains(key));

        var listed = await (await App.Admin().GetAsync("/api/v1/api-keys")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(key, listed.ToJsonString());
        Assert.Contains(created["id"].Str(), listed.ToJsonString());
    }

    [SkippableFact]
    public async Task EachRoleMayOnlyDoWhatItIsFor()
    {
        var admin = App.Admin();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var finance = App.ClientWithKey(await admin.NewKeyAsync("finance"));
        var manager = App.ClientWithKey(await admin.NewKeyAsync("manager"));

        await (await merchant.PostJsonAsync("/api/v1/campaigns", new { name = "Nope" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await finance.PostJsonAsync("/api/v1/ambassadors", new { name = "Nope", email = "nope@example.com" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostJsonAsync("/api/v1/api-keys", new { name = "escalate", role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostJsonAsync("/api/v1/users", new { email = "boss@example.com", password = "Correct-horse-42", role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var campaign = await manager.CreateCampaignAsync();
        await (await merchant.GetAsync($"/api/v1/campaigns/{campaign["id"].Str()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await using var db = App.Db();
        Assert.False(await db.Ambassadors.AnyAsync(a => a.Email == "nope@example.com"));
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "escalate"));
        Assert.False(await db.Users.AnyAsync(u => u.Email == "boss@example.com"));
    }

    [SkippableFact]
    public async Task ARevokedKeyStopsWorkingAtOnce()
    {
        var admin = App.Admin();
        var created = await (await admin.PostJsonAsync("/api/v1/api-keys", new { name = "temp", role = "manager" })).AssertJsonAsync(HttpStatusCode.Created);
        var manager = App.ClientWithKey(created["key"].Str());
        await manager.CreateAmbassadorAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{created["id"].Str()}")).StatusCode);
        await (await manager.GetAsync("/api/v1/ambassadors/amb_abcdefghijkmnpqr")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{created["id"].Str()}")).StatusCode);
    }

    [SkippableFact]
    public async Task KeysNeedANameAndAKnownRole()
    {
        var problem = await (await App.Admin().PostJsonAsync("/api/v1/api-keys", new { name = "", role = "owner" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["name"]);
        Assert.NotNull(problem["errors"]!["role"]);
    }

    [SkippableFact]
    public async Task StaffAccountsNeedStrongPasswordsAndUniqueEmails()
    {
        var admin = App.Admin();
        var email = $"finance.{Guid.NewGuid():N}@example.com";
        var weak = await (await admin.PostJsonAsync("/api/v1/users", new { email, password = "password", role = "finance" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(weak["errors"]!["password"]);
        await using (var db = App.Db()) Assert.False(await db.Users.AnyAsync(u => u.Email == email));

        var created = await (await admin.PostJsonAsync("/api/v1/users", new { email, password = "Tr0ub4dor-and-3", role = "finance" })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal("finance", created["role"].Str());
        await (await admin.PostJsonAsync("/api/v1/users", new { email = email.ToUpperInvariant(), password = "Tr0ub4dor-and-3", role = "manager" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/v1/users", new { email = "x@example.com", password = "Tr0ub4dor-and-3", role = "ambassador" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        await using var check = App.Db();
        var user = await check.Users.SingleAsync(u => u.Email == email);
        Assert.Equal("finance", user.Role);
        Assert.DoesNotContain("Tr0ub4dor", user.PasswordHash);
    }
}

public sealed class AccessOnSqlite(SqliteFixture fixture) : AccessTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AccessOnPostgres(PostgresFixture fixture) : AccessTests(fixture), IClassFixture<PostgresFixture>;
