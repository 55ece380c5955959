using System.Net;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// The invitation's link: GET only shows the form; the post sets the password, consumes the link and opens the portal;
/// a used, expired or unknown link gets a page that says how to get a new one; a password set ends every other link.
/// </summary>
public abstract class OnboardingTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task OpeningTheLinkShowsTheFormAndPostingItOpensThePortalOnce()
    {
        var campaign = await App.Admin().CreateCampaignAsync(name: "Fiesta Movement");
        var ambassador = await App.Admin().CreateAmbassadorAsync();
        var id = ambassador["id"].Str();
        await PortalBrowser.EnrolAsync(App, campaign["id"].Str(), id);
        var path = await PortalBrowser.InvitationPathAsync(App, id);
        Assert.StartsWith("/portal/onboarding/", path);

        var browser = StaffBrowser.Open(App);
        var form = await browser.GetPageAsync(path);
        Assert.Contains("Welcome, Anna de Vries", form);
        Assert.Contains($"value=\"{ambassador["email"].Str()}\" readonly", form);
        Assert.Contains("This link works once, until", form);
        await browser.GetPageAsync(path); // opening it again still shows the form: GET consumes nothing

        var accepted = await PortalBrowser.AcceptInvitationAsync(browser, path);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/portal", accepted.Headers.Location!.OriginalString);
        var home = await browser.GetPageAsync("/portal");
        Assert.Contains("Your password is set. Welcome to the portal!", home);
        Assert.Contains("data-testid=\"greeting\">Hello Anna</h1>", home);
        Assert.Contains("Fiesta Movement", home);

        var again = await StaffBrowser.Open(App).GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        var used = await again.Content.ReadAsStringAsync();
        Assert.Contains("This link has already been used", used);
        Assert.Contains("ask your programme manager to send you a new invitation", used);
        Assert.DoesNotContain("name=\"Password\"", used);

        // The password works on /login, which opens the portal.
        var signIn = await StaffBrowser.Open(App).SignInAsync(ambassador["email"].Str(), PortalBrowser.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/portal", signIn.Headers.Location!.OriginalString);

        await using var db = App.Db();
        Assert.True(await db.AuditLog.AnyAsync(e => e.Action == "ambassador.onboarded" && e.ActorName == ambassador["email"].Str()));
    }

    [SkippableFact]
    public async Task AWeakOrMistypedPasswordIsRefusedNextToTheFieldAndTheLinkStillWorks()
    {
        var id = (await App.Admin().CreateAmbassadorAsync())["id"].Str();
        var path = await PortalBrowser.InvitationPathAsync(App, id);
        var browser = StaffBrowser.Open(App);

        var weak = await PortalBrowser.AcceptInvitationAsync(browser, path, "alllowercase-no-digits");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        var html = await weak.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-password\">The password needs a digit (0-9).", html);
        Assert.Contains("data-testid=\"error-password\">The password needs an upper-case letter.", html);

        var mistyped = await browser.PostFormAsync(path, new Dictionary<string, string> { ["Password"] = PortalBrowser.Password, ["Confirm"] = "Portal-Anna-2025" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mistyped.StatusCode);
        Assert.Contains("data-testid=\"error-confirm\">The two passwords are not the same.", await mistyped.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await PortalBrowser.AcceptInvitationAsync(browser, path)).StatusCode);
    }

    [SkippableFact]
    public async Task AnExpiredOrUnknownLinkSaysSoAndSetsNothing()
    {
        var ambassador = await App.Admin().CreateAmbassadorAsync();
        var id = ambassador["id"].Str();
        var path = await PortalBrowser.InvitationPathAsync(App, id);
        await using (var db = App.Db())
        {
            await db.AccessTokens.Where(t => t.AmbassadorId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        var browser = StaffBrowser.Open(App);
        var expired = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("This link has expired", await expired.Content.ReadAsStringAsync());
        // A post with a token from another page cannot get past it either.
        var token = StaffBrowser.TokenIn(await browser.GetPageAsync("/login"));
        var post = await browser.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Password"] = PortalBrowser.Password, ["Confirm"] = PortalBrowser.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.Open(App).SignInAsync(ambassador["email"].Str(), PortalBrowser.Password)).StatusCode);

        var unknown = await StaffBrowser.Open(App).GetAsync("/portal/onboarding/not-a-real-token-0123456789");
        Assert.Equal(HttpStatusCode.Gone, unknown.StatusCode);
        Assert.Contains("This link is not valid", await unknown.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task SettingThePasswordRetiresEveryOtherLinkAndANewInvitationReplacesThePassword()
    {
        var ambassador = await App.Admin().CreateAmbassadorAsync();
        var id = ambassador["id"].Str();
        var first = await PortalBrowser.InvitationPathAsync(App, id);
        var second = await PortalBrowser.InvitationPathAsync(App, id);
        var browser = StaffBrowser.Open(App);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalBrowser.AcceptInvitationAsync(browser, second)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await StaffBrowser.Open(App).GetAsync(first)).StatusCode);

        // A later invitation sets a new password on the same account and ends the sessions of the old one.
        var third = await PortalBrowser.InvitationPathAsync(App, id);
        var other = StaffBrowser.Open(App);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalBrowser.AcceptInvitationAsync(other, third, "Another-Secret-2027")).StatusCode);
        var old = await browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.StartsWith("/login", old.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.Open(App).SignInAsync(ambassador["email"].Str(), PortalBrowser.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffBrowser.Open(App).SignInAsync(ambassador["email"].Str(), "Another-Secret-2027")).StatusCode);
        await using var db = App.Db();
        Assert.Equal(1, await db.Users.CountAsync(u => u.AmbassadorId == id));
    }

    [SkippableFact]
    public async Task TwoPostsOfOneLinkAtOnceSetOnePassword()
    {
        var ambassador = await App.Admin().CreateAmbassadorAsync();
        var id = ambassador["id"].Str();
        var path = await PortalBrowser.InvitationPathAsync(App, id);
        var browsers = Enumerable.Range(0, 6).Select(_ => StaffBrowser.Open(App)).ToList();
        var tokens = new List<string>();
        foreach (var b in browsers) tokens.Add(StaffBrowser.TokenIn(await b.GetPageAsync(path)));
        var posts = await Task.WhenAll(browsers.Select((b, i) => b.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Password"] = $"Portal-Anna-202{i}", ["Confirm"] = $"Portal-Anna-202{i}", ["__RequestVerificationToken"] = tokens[i],
        }))));
        var winners = posts.Select((p, i) => (p, i)).Where(x => x.p.StatusCode == HttpStatusCode.Redirect).ToList();
        Assert.Single(winners);
        Assert.All(posts.Where(p => p.StatusCode != HttpStatusCode.Redirect), p => Assert.Equal(HttpStatusCode.Gone, p.StatusCode));
        await using var db = App.Db();
        Assert.Equal(1, await db.Users.CountAsync(u => u.AmbassadorId == id));
        Assert.Equal(HttpStatusCode.Redirect,
            (await StaffBrowser.Open(App).SignInAsync(ambassador["email"].Str(), $"Portal-Anna-202{winners[0].i}")).StatusCode);
    }

    [SkippableFact]
    public async Task ThePortalIsForAmbassadorsAndTheStaffPagesAreNot()
    {
        var anonymous = await StaffBrowser.Open(App).GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fportal", anonymous.Headers.Location!.PathAndQuery);
        foreach (var role in new[] { "admin", "manager", "finance" })
        {
            var (staff, _) = await StaffBrowser.SignedInAsync(App, role);
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/portal")).StatusCode);
        }
        var (browser, _, _) = await PortalBrowser.SignedInAsync(App);
        foreach (var page in new[] { "/manage", "/manage/ambassadors", "/manage/outbox", "/manage/staff", "/finance", "/finance/new", "/finance/audit" })
        {
            var refused = await browser.GetAsync(page);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{page}: {(int)refused.StatusCode}");
        }
        // A signed-in browser gets nothing from the API either.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/campaigns")).StatusCode);
    }
}

public sealed class OnboardingOnSqlite(SqliteFixture fixture) : OnboardingTests(fixture), IClassFixture<SqliteFixture>;

public sealed class OnboardingOnPostgres(PostgresFixture fixture) : OnboardingTests(fixture), IClassFixture<PostgresFixture>;
