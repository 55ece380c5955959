using System.Net;
using System.Text.RegularExpressions;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// "Forgot your password?" for staff and ambassadors: one answer whatever the email, a single-use link that expires after an
/// hour in the outbox for active accounts only; the new password ends every session and every other link of the account.
/// </summary>
public abstract partial class PasswordResetTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private const string NewPassword = "Brand-New-Secret-2027";

    private static Task<HttpResponseMessage> ForgotAsync(StaffBrowser browser, string email) =>
        browser.PostFormAsync("/login/forgot", new Dictionary<string, string> { ["Email"] = email });

    /// <summary>The path of the latest reset link the outbox holds for the email.</summary>
    private async Task<string> ResetPathAsync(string email)
    {
        await using var db = App.Db();
        var link = await db.Outbox.Where(m => m.To == email && m.Kind == OutboxKind.PasswordReset)
            .OrderByDescending(m => m.CreatedAt).Select(m => m.Link).FirstAsync();
        return new Uri(link!).PathAndQuery;
    }

    private async Task<int> ResetMessagesAsync(string email)
    {
        await using var db = App.Db();
        return await db.Outbox.CountAsync(m => m.To == email && m.Kind == OutboxKind.PasswordReset);
    }

    private static Task<HttpResponseMessage> ResetAsync(StaffBrowser browser, string path, string password, string? confirm = null) =>
        browser.PostFormAsync(path, new Dictionary<string, string> { ["Password"] = password, ["Confirm"] = confirm ?? password });

    [GeneratedRegex("value=\"[^\"]{40,}\"")]
    private static partial Regex Tokens();

    [SkippableFact]
    public async Task TheMessageIsInTheAccountsLanguageElseInTheLanguageItWasAskedIn()
    {
        var dutchAsker = await StaffBrowser.CreateUserAsync(App, "finance");
        var englishAccount = await StaffBrowser.CreateUserAsync(App, "manager");
        await using (var db = App.Db())
        {
            await db.Users.Where(u => u.Email == englishAccount).ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, "en"));
        }
        foreach (var email in new[] { dutchAsker, englishAccount })
        {
            var browser = StaffBrowser.Open(App);
            browser.Client.DefaultRequestHeaders.Add("Accept-Language", "nl");
            Assert.Equal(HttpStatusCode.OK, (await ForgotAsync(browser, email)).StatusCode);
        }
        await using var check = App.Db();
        var dutch = await check.Outbox.SingleAsync(m => m.To == dutchAsker && m.Kind == OutboxKind.PasswordReset);
        Assert.Equal("Kies een nieuw wachtwoord", dutch.Subject);
        Assert.Contains("Open deze link om het te kiezen (hij werkt één keer, tot ", dutch.Body);
        Assert.Contains(dutch.Link!, dutch.Body);
        var english = await check.Outbox.SingleAsync(m => m.To == englishAccount && m.Kind == OutboxKind.PasswordReset);
        Assert.Equal("Choose a new password", english.Subject);
        Assert.Contains("Open this link to choose it (it works once, until ", english.Body);
        Assert.Contains(english.Link!, english.Body);
    }

    [SkippableFact]
    public async Task EveryEmailGetsTheSameAnswerAndOnlyActiveAccountsGetALink()
    {
        var staff = await StaffBrowser.CreateUserAsync(App, "finance");
        var (_, _, ambassador) = await PortalBrowser.SignedInAsync(App);
        var deactivated = await StaffBrowser.CreateUserAsync(App, "manager");
        string deactivatedId;
        await using (var db = App.Db()) deactivatedId = await db.Users.Where(u => u.Email == deactivated).Select(u => u.Id).SingleAsync();
        await (await App.Admin().PostAsync($"/api/v1/users/{deactivatedId}/deactivate", null)).AssertJsonAsync(HttpStatusCode.OK);
        var unknown = $"nobody.{Guid.NewGuid():N}@example.com";

        var login = await StaffBrowser.Open(App).GetPageAsync("/login");
        Assert.Contains("<a href=\"/login/forgot\" data-testid=\"forgot-link\">Forgot your password?</a>", login);

        var answers = new List<string>();
        foreach (var email in new[] { staff, ambassador.ToUpperInvariant(), deactivated, unknown })
        {
            var response = await ForgotAsync(StaffBrowser.Open(App), email);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(Tokens().Replace(await response.Content.ReadAsStringAsync(), ""));
        }
        Assert.Contains("If an account exists for this email, a link to choose a new password is on its way.", answers[0]);
        Assert.All(answers, a => Assert.Equal(answers[0], a));

        Assert.Equal(1, await ResetMessagesAsync(staff));
        Assert.Equal(1, await ResetMessagesAsync(ambassador));
        Assert.Equal(0, await ResetMessagesAsync(deactivated));
        Assert.Equal(0, await ResetMessagesAsync(unknown));
        await using (var db = App.Db())
        {
            var message = await db.Outbox.SingleAsync(m => m.To == staff && m.Kind == OutboxKind.PasswordReset);
            Assert.Matches("^http://localhost/login/reset/[A-Za-z0-9_-]{43}$", message.Link);
            Assert.Contains(message.Link!, message.Body);
            var staffId = await db.Users.Where(u => u.Email == staff).Select(u => u.Id).SingleAsync();
            var token = await db.AccessTokens.SingleAsync(t => t.Purpose == AccessTokenPurpose.PasswordReset && t.UserId == staffId);
            Assert.Equal(TimeSpan.FromHours(1), token.ExpiresAt - token.CreatedAt);
        }

        // An empty or malformed email is refused next to the field.
        var empty = await ForgotAsync(StaffBrowser.Open(App), " ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("data-testid=\"error-email\">Enter your email address.</div>", await empty.Content.ReadAsStringAsync());
        var browser = StaffBrowser.Open(App);
        browser.Client.DefaultRequestHeaders.Add("Accept-Language", "nl");
        var dutch = await ForgotAsync(browser, "not-an-email");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dutch.StatusCode);
        var html = await dutch.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Wachtwoord vergeten?</h1>", html);
        Assert.Contains("data-testid=\"error-email\">Vul een e-mailadres in, zoals naam@voorbeeld.nl.</div>", html);
    }

    [SkippableFact]
    public async Task TheLinkSetsANewPasswordOnceAndEndsTheOldPasswordAndSessions()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var signIn = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password);
        var oldSession = StaffBrowser.SessionCookieOf(signIn);
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.GetWithCookieAsync(App, "/finance", oldSession)).StatusCode);

        await ForgotAsync(StaffBrowser.Open(App), email);
        var path = await ResetPathAsync(email);
        var browser = StaffBrowser.Open(App);
        var form = await browser.GetPageAsync(path);
        Assert.Contains("<h1>Choose a new password</h1>", form);
        Assert.Contains($"value=\"{email}\" readonly", form);
        Assert.Contains("This link works once, until", form);

        // A weak or mistyped password is refused next to its field, and the link still works.
        var weak = await ResetAsync(browser, path, "short");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        Assert.Contains("data-testid=\"error-password\">The password needs at least 12 characters.</div>", await weak.Content.ReadAsStringAsync());
        var mistyped = await ResetAsync(browser, path, NewPassword, "Brand-New-Secret-2028");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mistyped.StatusCode);
        Assert.Contains("data-testid=\"error-confirm\">The two passwords are not the same.</div>", await mistyped.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password)).StatusCode);

        var done = await ResetAsync(browser, path, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/login", done.Headers.Location!.OriginalString);
        Assert.Contains("Your password is changed: sign in with it.", await browser.GetPageAsync("/login"));

        // The old password and the old session open nothing; the new password does.
        var old = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await old.Content.ReadAsStringAsync());
        var stale = await StaffBrowser.GetWithCookieAsync(App, "/finance", oldSession);
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.StartsWith("/login", stale.Headers.Location!.PathAndQuery);
        var fresh = await StaffBrowser.Open(App).SignInAsync(email, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Equal("/finance", fresh.Headers.Location!.OriginalString);

        // The link works once.
        var again = await StaffBrowser.Open(App).GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        var used = await again.Content.ReadAsStringAsync();
        Assert.Contains("This link has already been used", used);
        Assert.Contains("href=\"/login/forgot\"", used);
        Assert.DoesNotContain("name=\"Password\"", used);
        await using var db = App.Db();
        Assert.True(await db.AuditLog.AnyAsync(e => e.Action == "user.password-reset" && e.ActorName == email));
    }

    [SkippableFact]
    public async Task AnExpiredOrUnknownLinkSaysSoAndPointsToANewOne()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "manager");
        await ForgotAsync(StaffBrowser.Open(App), email);
        var path = await ResetPathAsync(email);
        await using (var db = App.Db())
        {
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            await db.AccessTokens.Where(t => t.UserId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        var browser = StaffBrowser.Open(App);
        var expired = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        var html = await expired.Content.ReadAsStringAsync();
        Assert.Contains("This link has expired", html);
        Assert.Contains("A password link works for one hour.", html);
        Assert.Contains("data-testid=\"new-link\">Ask for a new link</a>", html);
        var token = StaffBrowser.TokenIn(await browser.GetPageAsync("/login"));
        var post = await browser.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Password"] = NewPassword, ["Confirm"] = NewPassword, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password)).StatusCode);

        var unknown = await StaffBrowser.Open(App).GetAsync("/login/reset/not-a-real-token-0123456789");
        Assert.Equal(HttpStatusCode.Gone, unknown.StatusCode);
        Assert.Contains("This link is not valid", await unknown.Content.ReadAsStringAsync());
        // An invitation's token is no reset link.
        var ambassadorId = (await App.Admin().CreateAmbassadorAsync())["id"].Str();
        var invitation = await PortalBrowser.InvitationPathAsync(App, ambassadorId);
        var wrongKind = await StaffBrowser.Open(App).GetAsync(invitation.Replace("/portal/onboarding/", "/login/reset/"));
        Assert.Equal(HttpStatusCode.Gone, wrongKind.StatusCode);
    }

    [SkippableFact]
    public async Task AnAmbassadorsResetRetiresTheirInvitationLinksAndEndsTheirPortalSessions()
    {
        var (portal, ambassadorId, email) = await PortalBrowser.SignedInAsync(App);
        var invitation = await PortalBrowser.InvitationPathAsync(App, ambassadorId);
        var deactivatedLater = await StaffBrowser.CreateUserAsync(App, "manager");

        await ForgotAsync(StaffBrowser.Open(App), email);
        await ForgotAsync(StaffBrowser.Open(App), email);
        var first = await ResetPathAsync(email);
        Assert.Equal(2, await ResetMessagesAsync(email));
        var browser = StaffBrowser.Open(App);
        Assert.Equal(HttpStatusCode.Redirect, (await ResetAsync(browser, first, NewPassword)).StatusCode);

        // The portal's old session ends; the other reset link and the open invitation stop working.
        var old = await portal.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.StartsWith("/login", old.Headers.Location!.PathAndQuery);
        await using (var db = App.Db())
        {
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            Assert.Equal(0, await db.AccessTokens.CountAsync(t => (t.UserId == userId || t.AmbassadorId == ambassadorId) && t.UsedAt == null));
        }
        Assert.Equal(HttpStatusCode.Gone, (await StaffBrowser.Open(App).GetAsync(invitation)).StatusCode);
        var signIn = await StaffBrowser.Open(App).SignInAsync(email, NewPassword);
        Assert.Equal("/portal", signIn.Headers.Location!.OriginalString);

        // A link asked for before an account was deactivated opens nothing afterwards.
        await ForgotAsync(StaffBrowser.Open(App), deactivatedLater);
        var pending = await ResetPathAsync(deactivatedLater);
        await using (var db = App.Db())
        {
            var id = await db.Users.Where(u => u.Email == deactivatedLater).Select(u => u.Id).SingleAsync();
            await (await App.Admin().PostAsync($"/api/v1/users/{id}/deactivate", null)).AssertJsonAsync(HttpStatusCode.OK);
        }
        Assert.Equal(HttpStatusCode.Gone, (await StaffBrowser.Open(App).GetAsync(pending)).StatusCode);
    }
}

public sealed class PasswordResetOnSqlite(SqliteFixture fixture) : PasswordResetTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PasswordResetOnPostgres(PostgresFixture fixture) : PasswordResetTests(fixture), IClassFixture<PostgresFixture>;
