using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ambassadors.Tests.Access;

/// <summary>Staff sign-in and who may open the finance workspace, through the pages as a browser uses them.</summary>
public abstract class SignInTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AnonymousVisitorsOfTheFinanceWorkspaceAreSentToSignIn()
    {
        var browser = StaffBrowser.Open(App);
        foreach (var (path, returnUrl) in new[] { ("/finance", "%2Ffinance"), ("/finance/batches/pay_x", "%2Ffinance%2Fbatches%2Fpay_x") })
        {
            var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
            Assert.Equal($"?ReturnUrl={returnUrl}", response.Headers.Location.Query);
        }
        var login = await browser.GetPageAsync("/login?ReturnUrl=%2Ffinance");
        Assert.Contains("name=\"Password\"", login);
        Assert.Contains("value=\"/finance\"", login);
    }

    [SkippableFact]
    public async Task AManagerGetsA403PageNotARedirect()
    {
        var (manager, email) = await StaffBrowser.SignedInAsync(App, "manager");
        foreach (var path in new[] { "/finance", "/finance/new", "/finance/audit" })
        {
            var response = await manager.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("This page is not for your account", html);
            Assert.Contains(email, html);
            Assert.DoesNotContain("   at ", html);
        }
    }

    [SkippableFact]
    public async Task FinanceAndAdminAccountsOpenTheWorkspace()
    {
        foreach (var role in new[] { "finance", "admin" })
        {
            var (browser, email) = await StaffBrowser.SignedInAsync(App, role);
            var html = await browser.GetPageAsync("/finance");
            Assert.Contains("Payout batches", html);
            Assert.Contains($"Signed in as <strong data-testid=\"signed-in-as\">{email}</strong> ({role})", html);
        }
    }

    [SkippableFact]
    public async Task SigningInWithoutAReturnUrlLandsOnTheRolesWorkspace()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var response = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/finance", response.Headers.Location!.OriginalString);
    }

    [SkippableFact]
    public async Task AWrongPasswordShowsAnErrorAndSignsNobodyIn()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var browser = StaffBrowser.Open(App);
        var response = await browser.SignInAsync(email, "Not-the-password-1");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or the password is not right.", html);
        Assert.DoesNotContain(SessionCookies(response), c => c.StartsWith("amb_session=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/finance")).StatusCode);

        var unknown = await (await browser.SignInAsync("nobody@example.com", StaffBrowser.Password)).Content.ReadAsStringAsync();
        Assert.Contains("The email or the password is not right.", unknown);
    }

    [SkippableFact]
    public async Task AFormPostedWithoutItsAntiforgeryTokenIsRefusedWith400()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var browser = StaffBrowser.Open(App);
        await browser.GetPageAsync("/login"); // the antiforgery cookie, but no token in the form
        var login = await browser.Client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = StaffBrowser.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal("text/html", login.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The form could not be accepted", await login.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/finance")).StatusCode);

        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var logout = await finance.Client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        var preview = await finance.Client.PostAsync("/finance/new?handler=Preview", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["PeriodEnd"] = "2026-11-30",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, preview.StatusCode);
        // Still signed in: the logout without a token did nothing.
        Assert.Equal(HttpStatusCode.OK, (await finance.GetAsync("/logout")).StatusCode);
        Assert.Contains("Sign out of this browser?", await finance.GetPageAsync("/logout"));
    }

    [SkippableFact]
    public async Task AReturnUrlToAnotherSiteIsIgnored()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        foreach (var returnUrl in new[] { "https://evil.example/steal", "//evil.example/steal", "/\\evil.example/steal", "javascript:alert(1)" })
        {
            var response = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password, returnUrl);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/finance", response.Headers.Location!.OriginalString);
        }
        var local = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password, "/finance/audit?batch=pay_1");
        Assert.Equal("/finance/audit?batch=pay_1", local.Headers.Location!.OriginalString);
    }

    [SkippableFact]
    public async Task TheSessionCookieIsHttpOnlyLaxAndSecureOverHttps()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var http = await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password);
        var cookie = SessionCookies(http).Single(c => c.StartsWith("amb_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.DoesNotContain("secure", cookie);

        var https = new StaffBrowser(App.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        }));
        var secure = SessionCookies(await https.SignInAsync(email, StaffBrowser.Password))
            .Single(c => c.StartsWith("amb_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", secure);
        Assert.Contains("httponly", secure);
    }

    [SkippableFact]
    public async Task SigningOutEndsTheSession()
    {
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var response = await browser.PostFormAsync("/logout", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.OriginalString);
        Assert.Contains("You have signed out.", await browser.GetPageAsync("/login"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/finance")).StatusCode);
    }

    [SkippableFact]
    public async Task ACopyOfTheSessionCookieOpensNothingAfterSigningOut()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var browser = StaffBrowser.Open(App);
        var copy = StaffBrowser.SessionCookieOf(await browser.SignInAsync(email, StaffBrowser.Password));
        Assert.Equal(HttpStatusCode.OK, (await StaffBrowser.GetWithCookieAsync(App, "/finance", copy)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/logout", new Dictionary<string, string>())).StatusCode);

        foreach (var path in new[] { "/finance", "/finance/audit", "/logout" })
        {
            var replay = await StaffBrowser.GetWithCookieAsync(App, path, copy);
            var html = await replay.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Signed in as", html);
            if (path != "/logout") Assert.Equal("/login", replay.Headers.Location?.AbsolutePath);
        }
        // The owner signs in again as usual.
        Assert.Equal(HttpStatusCode.Redirect, (await StaffBrowser.Open(App).SignInAsync(email, StaffBrowser.Password)).StatusCode);
    }

    [SkippableFact]
    public async Task ASignInCookieOpensNoApiEndpoint()
    {
        var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");
        var response = await admin.GetAsync("/api/v1/api-keys");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task UnknownPagesAnswerWithAReadable404Page()
    {
        var response = await StaffBrowser.Open(App).GetAsync("/finance/nothing/here");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Nothing is at /finance/nothing/here", html);
        await (await App.Admin().GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static List<string> SessionCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.ToList() : [];
}

public sealed class SignInOnSqlite(SqliteFixture fixture) : SignInTests(fixture), IClassFixture<SqliteFixture>;

public sealed class SignInOnPostgres(PostgresFixture fixture) : SignInTests(fixture), IClassFixture<PostgresFixture>;
