using System.Net;
using System.Net.Http.Json;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Access;

/// <summary>
/// /manage/staff and /api/v1/users: admins list, create, deactivate, reactivate and re-role staff accounts; a deactivated
/// account's sessions end at once; nobody removes their own admin role or the last active admin's.
/// </summary>
public abstract class StaffPagesTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task OnlyAdminsSeeTheStaffPageWithEveryAccountAndItsRole()
    {
        var anonymous = await StaffBrowser.Open(App).GetAsync("/manage/staff");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fmanage%2Fstaff", anonymous.Headers.Location!.PathAndQuery);
        foreach (var role in new[] { "manager", "finance" })
        {
            var (browser, _) = await StaffBrowser.SignedInAsync(App, role);
            var refused = await browser.GetAsync("/manage/staff");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Staff accounts are managed by admins only.", await refused.Content.ReadAsStringAsync());
            // Nor can they post to it, token or not.
            var token = StaffBrowser.TokenIn(await browser.GetPageAsync("/login"));
            var post = await browser.Client.PostAsync("/manage/staff?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = "sneaky@example.com", ["Role"] = "admin", ["Password"] = StaffBrowser.Password, ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }
        var manager = await StaffBrowser.CreateUserAsync(App, "manager");
        var (admin, me) = await StaffBrowser.SignedInAsync(App, "admin");
        var page = await admin.GetPageAsync("/manage/staff");
        Assert.Contains($"data-testid=\"staff-{manager}\"", page);
        Assert.Contains("<span class=\"muted\">(you)</span>", Row(page, me));
        Assert.Contains(">manager</td>", Row(page, manager));
        Assert.Contains("badge active", Row(page, manager));
        Assert.Contains("never", Row(page, manager));
        Assert.DoesNotContain("never", Row(page, me)); // signed in just now
        Assert.DoesNotContain("Deactivate", Row(page, me)); // no button to lock oneself out
        StaffBrowser.TokenIn(page);
    }

    [SkippableFact]
    public async Task AnAccountIsCreatedWithErrorsNextToTheFieldsAndAudited()
    {
        var (admin, me) = await StaffBrowser.SignedInAsync(App, "admin");
        var bad = await admin.PostFormAsync("/manage/staff",
            new Dictionary<string, string> { ["Email"] = "not-an-email", ["Role"] = "boss", ["Password"] = "short" }, "/manage/staff?handler=Create");
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("data-testid=\"error-email\">Enter an email address", html);
        Assert.Contains("data-testid=\"error-role\">Choose admin, manager or finance.", html);
        var email = $"new.{Guid.NewGuid():N}@example.com";
        var weak = await admin.PostFormAsync("/manage/staff",
            new Dictionary<string, string> { ["Email"] = email, ["Role"] = "finance", ["Password"] = "alllowercase-no-digits" }, "/manage/staff?handler=Create");
        var weakHtml = await weak.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        Assert.Contains("data-testid=\"error-password\">The password needs a digit (0-9).", weakHtml);
        Assert.Contains("data-testid=\"error-password\">The password needs an upper-case letter.", weakHtml);
        Assert.Contains($"value=\"{email}\"", weakHtml); // what was typed stays

        var created = await admin.PostFormAsync("/manage/staff",
            new Dictionary<string, string> { ["Email"] = email, ["Role"] = "finance", ["Password"] = StaffBrowser.Password }, "/manage/staff?handler=Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await admin.GetPageAsync("/manage/staff");
        Assert.Contains($"Account {email} created with role finance.", page);
        Assert.Contains(">finance</td>", Row(page, email));
        Assert.Equal(HttpStatusCode.Redirect, (await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password)).StatusCode);

        var again = await admin.PostFormAsync("/manage/staff",
            new Dictionary<string, string> { ["Email"] = email, ["Role"] = "manager", ["Password"] = StaffBrowser.Password }, "/manage/staff?handler=Create");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("data-testid=\"error-email\">There is already an account with this email.", await again.Content.ReadAsStringAsync());

        await using var db = App.Db();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var audit = await db.AuditLog.Where(e => e.EntityType == "user" && e.EntityId == user.Id).Select(e => new { e.Action, e.ActorName }).ToListAsync();
        Assert.Contains(audit, e => e.Action == "user.created" && e.ActorName == me);
        Assert.Contains(audit, e => e.Action == "user.signed-in");
    }

    [SkippableFact]
    public async Task DeactivatingAsksFirstThenEndsTheSessionsAtOnceAndSignInAnswersAsForAWrongPassword()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "manager");
        var victim = StaffBrowser.Open(App);
        var signIn = await victim.SignInAsync(email, StaffBrowser.Password);
        var stolen = StaffBrowser.SessionCookieOf(signIn);
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.GetWithCookieAsync(App, "/manage", stolen)).StatusCode);
        var id = await IdOfAsync(email);
        var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");

        var asked = await admin.PostFormAsync("/manage/staff", new Dictionary<string, string> { ["UserId"] = id }, "/manage/staff?handler=Deactivate");
        var question = await asked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains($"Deactivate {email}?", question);
        Assert.Contains($"name=\"Confirmed\" value=\"{id}\"", question);
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.GetWithCookieAsync(App, "/manage", stolen)).StatusCode); // nothing yet

        var done = await admin.PostFormAsync("/manage/staff", new Dictionary<string, string> { ["UserId"] = id, ["Confirmed"] = id }, "/manage/staff?handler=Deactivate");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var page = await admin.GetPageAsync("/manage/staff");
        Assert.Contains($"{email} is deactivated; their sessions have ended.", page);
        Assert.Contains("badge deactivated", Row(page, email));

        // The copied cookie opens nothing on the very next request, and the victim's own browser is signed out too.
        var afterwards = await StaffBrowser.GetWithCookieAsync(App, "/manage", stolen);
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        Assert.Equal("/login", afterwards.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await victim.GetAsync("/manage")).StatusCode);
        // Signing in again gets the same page and words as a wrong password.
        var refused = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password);
        var wrong = await StaffBrowser.Open(App).SignInAsync(email, "Wrong-Password-2026");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(LoginError(await wrong.Content.ReadAsStringAsync()), LoginError(await refused.Content.ReadAsStringAsync()));

        var reactivated = await admin.PostFormAsync("/manage/staff", new Dictionary<string, string> { ["UserId"] = id }, "/manage/staff?handler=Reactivate");
        Assert.Equal(HttpStatusCode.Redirect, reactivated.StatusCode);
        Assert.Contains($"{email} can sign in again.", await admin.GetPageAsync("/manage/staff"));
        Assert.Equal(HttpStatusCode.Redirect, (await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password)).StatusCode);
        await using var db = App.Db();
        var actions = await db.AuditLog.Where(e => e.EntityType == "user" && e.EntityId == id).Select(e => e.Action).ToListAsync();
        Assert.Contains("user.deactivated", actions);
        Assert.Contains("user.reactivated", actions);
    }

    [SkippableFact]
    public async Task ANewRoleEndsTheSessionsAndTheNextSignInLandsInTheNewWorkspace()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "manager");
        var person = StaffBrowser.Open(App);
        await person.SignInAsync(email, StaffBrowser.Password);
        var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");
        var changed = await admin.PostFormAsync("/manage/staff",
            new Dictionary<string, string> { ["UserId"] = await IdOfAsync(email), ["Role"] = "finance" }, "/manage/staff?handler=Role");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var page = await admin.GetPageAsync("/manage/staff");
        Assert.Contains($"{email} now has the role finance.", page);
        Assert.Contains(">finance</td>", Row(page, email));
        Assert.Equal(HttpStatusCode.Redirect, (await person.GetAsync("/manage")).StatusCode);
        var again = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password);
        Assert.Equal("/finance", again.Headers.Location!.OriginalString);
    }

    [SkippableFact]
    public async Task AnAdminCannotRemoveTheirOwnAdminRoleNorTheLastActiveAdmins()
    {
        var (admin, me) = await StaffBrowser.SignedInAsync(App, "admin");
        var myId = await IdOfAsync(me);
        var self = await admin.PostFormAsync("/manage/staff", new Dictionary<string, string> { ["UserId"] = myId, ["Confirmed"] = myId }, "/manage/staff?handler=Deactivate");
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("You cannot deactivate your own account", await self.Content.ReadAsStringAsync());
        var demote = await admin.PostFormAsync("/manage/staff", new Dictionary<string, string> { ["UserId"] = myId, ["Role"] = "manager" }, "/manage/staff?handler=Role");
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);

        // The API key has no account of its own: what stops it is the last active admin.
        var api = App.Admin();
        var others = await ActiveAdminsAsync(myId);
        foreach (var other in others) await (await api.PostAsync($"/api/v1/users/{other}/deactivate", null)).AssertJsonAsync(HttpStatusCode.OK);
        try
        {
            var last = await (await api.PostAsync($"/api/v1/users/{myId}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("last active admin", last["detail"].Str());
            await (await api.PutAsJsonAsync($"/api/v1/users/{myId}/role", new { role = "finance" })).AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/manage/staff")).StatusCode);

            // Two admins deactivated at once, each by the other's rule: one stays.
            var (_, second) = await StaffBrowser.SignedInAsync(App, "admin");
            var secondId = await IdOfAsync(second);
            var answers = await Task.WhenAll(
                api.PostAsync($"/api/v1/users/{myId}/deactivate", null),
                api.PostAsync($"/api/v1/users/{secondId}/deactivate", null));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
            Assert.Single(await ActiveAdminsAsync(null));
            foreach (var id in new[] { myId, secondId }) await (await api.PostAsync($"/api/v1/users/{id}/reactivate", null)).AssertJsonAsync(HttpStatusCode.OK);
        }
        finally
        {
            foreach (var other in others) await api.PostAsync($"/api/v1/users/{other}/reactivate", null);
        }
    }

    [SkippableFact]
    public async Task TheApiListsStaffWithoutSecretsAndChangesThemWithTheSameRules()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var api = App.Admin();
        var response = await api.GetAsync("/api/v1/users");
        var body = await response.Content.ReadAsStringAsync();
        var list = await response.AssertJsonArrayAsync(HttpStatusCode.OK);
        var user = list.Single(u => u!["email"].Str() == email)!.AsObject();
        Assert.Equal("finance", user["role"].Str());
        Assert.True(user["active"]!.GetValue<bool>());
        Assert.Null(user["deactivatedAt"]);
        Assert.NotNull(user["createdAt"]);
        Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stamp", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(list, u => u!["role"].Str() == "ambassador");

        var id = user["id"].Str();
        var deactivated = await (await api.PostAsync($"/api/v1/users/{id}/deactivate", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.False(deactivated["active"]!.GetValue<bool>());
        Assert.NotNull(deactivated["deactivatedAt"]);
        await (await api.PostAsync($"/api/v1/users/{id}/deactivate", null)).AssertJsonAsync(HttpStatusCode.OK); // again: no change
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password)).StatusCode); // refused
        Assert.True((await (await api.PostAsync($"/api/v1/users/{id}/reactivate", null)).AssertJsonAsync(HttpStatusCode.OK))["active"]!.GetValue<bool>());
        var role = await (await api.PutAsJsonAsync($"/api/v1/users/{id}/role", new { role = "manager" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("manager", role["role"].Str());
        var invalid = await (await api.PutAsJsonAsync($"/api/v1/users/{id}/role", new { role = "ambassador" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(invalid["errors"]!["role"]);
        await (await api.PostAsync("/api/v1/users/nobody/deactivate", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.PutAsJsonAsync("/api/v1/users/nobody/role", new { role = "finance" })).AssertProblemAsync(HttpStatusCode.NotFound);

        var (managerKey, _) = await CreateKeyAsync("manager");
        await (await App.ClientWithKey(managerKey).GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await App.ClientWithKey(managerKey).PostAsync($"/api/v1/users/{id}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<(string Key, string Id)> CreateKeyAsync(string role)
    {
        var key = await (await App.Admin().PostJsonAsync("/api/v1/api-keys", new { name = "staff test", role })).AssertJsonAsync(HttpStatusCode.Created);
        return (key["key"].Str(), key["id"].Str());
    }

    private async Task<string> IdOfAsync(string email)
    {
        await using var db = App.Db();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<List<string>> ActiveAdminsAsync(string? except)
    {
        await using var db = App.Db();
        return await db.Users.Where(u => u.Role == "admin" && u.DeactivatedAt == null && u.Id != except).Select(u => u.Id).ToListAsync();
    }

    /// <summary>The table row of the account with this email.</summary>
    private static string Row(string page, string email)
    {
        var start = page.IndexOf($"data-testid=\"staff-{email}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{email} is not listed.");
        return page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string LoginError(string html)
    {
        var start = html.IndexOf("data-testid=\"login-error\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "The sign-in page shows no error.");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }
}

public sealed class StaffPagesOnSqlite(SqliteFixture fixture) : StaffPagesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class StaffPagesOnPostgres(PostgresFixture fixture) : StaffPagesTests(fixture), IClassFixture<PostgresFixture>;
