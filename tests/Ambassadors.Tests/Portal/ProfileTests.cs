using System.Net;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// /portal/profile: the profile with the managers' rules and audit; payout details with finance's rules (refused next
/// to the field in the page's language, nothing stored), stored masked, audited as the ambassador's own change that
/// finance reads on its pages; the language, kept on the account and applied at the next sign-in.
/// </summary>
public abstract class ProfileTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static Dictionary<string, string> Payout(string method = "bank", string legalName = "Anna de Vries", string country = "NL",
        string iban = "", string bic = "", string paypalEmail = "", string taxId = "") => new()
    {
        ["Payout.Method"] = method, ["Payout.LegalName"] = legalName, ["Payout.Country"] = country, ["Payout.Iban"] = iban,
        ["Payout.Bic"] = bic, ["Payout.PaypalEmail"] = paypalEmail, ["Payout.TaxId"] = taxId,
    };

    private static Task<HttpResponseMessage> SavePayoutAsync(StaffBrowser browser, Dictionary<string, string> form) =>
        browser.PostFormAsync("/portal/profile", form, "/portal/profile?handler=Payout");

    [SkippableFact]
    public async Task AnInvalidIbanIsRefusedNextToTheFieldAndNothingIsStored()
    {
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App);
        var page = await browser.GetPageAsync("/portal/profile");
        Assert.Contains("data-testid=\"payout-missing\"", page);

        var mistyped = await SavePayoutAsync(browser, Payout(iban: "NL91 ABNA 0417 1643 01"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mistyped.StatusCode);
        var html = await mistyped.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-iban\">This is not a valid IBAN", html);
        Assert.Contains("value=\"NL91 ABNA 0417 1643 01\"", html); // what was typed stays in the box

        var elsewhere = await SavePayoutAsync(browser, Payout(country: "BE", iban: "NL91 ABNA 0417 1643 00"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        Assert.Contains("data-testid=\"error-iban\">This IBAN is from NL: choose that country above", await elsewhere.Content.ReadAsStringAsync());

        var noEmail = await SavePayoutAsync(browser, Payout(method: "paypal", legalName: ""));
        var noEmailHtml = await noEmail.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noEmail.StatusCode);
        Assert.Contains("data-testid=\"error-paypalEmail\">Enter the email address of your PayPal account.", noEmailHtml);
        Assert.Contains("data-testid=\"error-legalName\">Enter the name the account is held in", noEmailHtml);

        // In Dutch, the same refusal in Dutch.
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl");
        var dutch = await SavePayoutAsync(browser, Payout(iban: "NL91 ABNA 0417 1643 01"));
        Assert.Contains("data-testid=\"error-iban\">Dit is geen geldig IBAN", await dutch.Content.ReadAsStringAsync());

        await using var db = App.Db();
        Assert.False(await db.PayoutDetails.AnyAsync(d => d.AmbassadorId == me));
        Assert.False(await db.AuditLog.AnyAsync(e => e.EntityId == me && e.EntityType == "payout-details"));
    }

    [SkippableFact]
    public async Task AValidIbanIsStoredWithoutSpacesShownMaskedAndFinanceSeesTheAmbassadorMadeTheChange()
    {
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, name: "Anna de Vries");
        var saved = await SavePayoutAsync(browser, Payout(iban: "nl91 abna 0417 1643 00", bic: "abnanl2a", taxId: "NL123456789B01"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/portal/profile", saved.Headers.Location!.OriginalString);

        await using (var db = App.Db())
        {
            var stored = await db.PayoutDetails.SingleAsync(d => d.AmbassadorId == me);
            Assert.Equal(("NL91ABNA0417164300", "ABNANL2A", PayoutMethod.Bank, "NL123456789B01"), (stored.Iban, stored.Bic, stored.Method, stored.TaxId));
            var created = await db.AuditLog.SingleAsync(e => e.EntityId == me && e.EntityType == "payout-details");
            Assert.Equal(($"ambassador:{me}", "Anna de Vries (ambassador)", "payout-details.created"), (created.Actor, created.ActorName, created.Action));
            Assert.DoesNotContain("NL123456789B01", created.Details);
        }

        var page = await browser.GetPageAsync("/portal/profile");
        Assert.Contains("Your payout details are saved.", page);
        Assert.Equal("•••• 4300", EarningsSteps.Section(page, "masked-iban"));
        Assert.DoesNotContain("NL91ABNA", page);
        Assert.DoesNotContain("0417", page);
        Assert.DoesNotContain("NL123456789B01", page);
        Assert.DoesNotContain("data-testid=\"payout-missing\"", page);

        // A change that leaves the IBAN box empty keeps the account.
        var renamed = await SavePayoutAsync(browser, Payout(legalName: "A. de Vries", bic: "ABNANL2A"));
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        await using (var db = App.Db())
        {
            var stored = await db.PayoutDetails.SingleAsync(d => d.AmbassadorId == me);
            Assert.Equal(("A. de Vries", "NL91ABNA0417164300", "NL123456789B01"), (stored.LegalName, stored.Iban, stored.TaxId));
        }

        // Finance reads who made the change on its audit log and on the payee's page.
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var audit = EarningsSteps.Section(await finance.GetPageAsync($"/finance/audit?ambassador={me}"), "audit");
        Assert.Contains($"Anna de Vries (ambassador) ambassador:{me} payout details updated", audit);
        Assert.Contains($"Anna de Vries (ambassador) ambassador:{me} payout details created", audit);
        Assert.Contains("legalName: Anna de Vries → A. de Vries", audit);
        var payee = await finance.GetPageAsync($"/finance/payees/{me}");
        Assert.Contains("by Anna de Vries (ambassador).", payee);
    }

    [SkippableFact]
    public async Task ProfileEditsFollowTheManagersRulesAndAreAudited()
    {
        var (browser, me, email) = await PortalBrowser.SignedInAsync(App, name: "Anna de Vries", followers: 1200);
        var page = await browser.GetPageAsync("/portal/profile");
        Assert.Contains("value=\"Anna de Vries\"", page);
        Assert.Contains(email, EarningsSteps.Section(page, "email"));

        var refused = await browser.PostFormAsync("/portal/profile", new Dictionary<string, string>
        {
            ["Name"] = "Anna de Vries", ["Country"] = "NL",
            ["Rows[0].Network"] = "instagram", ["Rows[0].Handle"] = "@anna", ["Rows[0].Followers"] = "12k",
        }, "/portal/profile?handler=Profile");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-testid=\"error-followers-0\">Enter the followers as a whole number", await refused.Content.ReadAsStringAsync());

        var saved = await browser.PostFormAsync("/portal/profile", new Dictionary<string, string>
        {
            ["Name"] = "Anna de Vries-Smit", ["Country"] = "BE",
            ["Rows[0].Network"] = "Instagram", ["Rows[0].Handle"] = "@anna", ["Rows[0].Followers"] = "1500",
            ["Rows[1].Network"] = "tiktok", ["Rows[1].Handle"] = "@annav", ["Rows[1].Followers"] = "3000",
            ["Rows[2].Network"] = "", ["Rows[2].Handle"] = "", ["Rows[2].Followers"] = "",
        }, "/portal/profile?handler=Profile");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var ambassador = await (await App.Admin().GetAsync($"/api/v1/ambassadors/{me}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Anna de Vries-Smit", ambassador["name"].Str());
        Assert.Equal("BE", ambassador["country"].Str());
        Assert.Equal(email, ambassador["email"].Str());
        var profiles = ambassador["socialProfiles"]!.AsArray();
        Assert.Equal(["instagram @anna 1500", "tiktok @annav 3000"],
            profiles.Select(p => $"{p!["network"].Str()} {p["handle"].Str()} {p["followers"]!.GetValue<long>()}"));

        await using var db = App.Db();
        var audit = await db.AuditLog.SingleAsync(e => e.EntityId == me && e.Action == "ambassador.updated");
        Assert.Equal(email, audit.ActorName);
        Assert.StartsWith("user:", audit.Actor);
        Assert.Contains("name: Anna de Vries → Anna de Vries-Smit", audit.Details);
        Assert.Contains("country: – → BE", audit.Details);

        // Removing a row removes the profile.
        var removed = await browser.PostFormAsync("/portal/profile", new Dictionary<string, string>
        {
            ["Name"] = "Anna de Vries-Smit", ["Country"] = "BE",
            ["Rows[0].Network"] = "instagram", ["Rows[0].Handle"] = "@anna", ["Rows[0].Followers"] = "1500",
            ["Rows[1].Network"] = "tiktok", ["Rows[1].Handle"] = "@annav", ["Rows[1].Followers"] = "3000", ["Rows[1].Remove"] = "true",
        }, "/portal/profile?handler=Profile");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var after = await (await App.Admin().GetAsync($"/api/v1/ambassadors/{me}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Single(after["socialProfiles"]!.AsArray());
    }

    [SkippableFact]
    public async Task TheLanguageChosenIsStoredAndAppliedAtTheNextSignIn()
    {
        var (browser, me, email) = await PortalBrowser.SignedInAsync(App);
        var chosen = await browser.PostFormAsync("/portal/profile", new Dictionary<string, string> { ["Language"] = "nl" }, "/portal/profile?handler=Language");
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Contains(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dnl%7Cuic%3Dnl", StringComparison.Ordinal));
        Assert.Contains("Je taal is opgeslagen.", await browser.GetPageAsync("/portal/profile"));
        await using (var db = App.Db())
        {
            Assert.Equal("nl", (await db.Users.SingleAsync(u => u.AmbassadorId == me)).Language);
        }

        // Another browser, English by its own header and without the cookie: signing in brings the choice along.
        var other = StaffBrowser.Open(App);
        other.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        Assert.Contains("Sign in", await other.GetPageAsync("/login"));
        var signedIn = await other.SignInAsync(email, PortalBrowser.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dnl%7Cuic%3Dnl", StringComparison.Ordinal));
        var earnings = await other.GetPageAsync("/portal/earnings");
        Assert.Contains("Mijn verdiensten", earnings);
        Assert.Contains("<html lang=\"nl\">", earnings);

        // A staff account without a chosen language gets no cookie.
        var staffEmail = await StaffBrowser.CreateUserAsync(App, "finance");
        var staff = await StaffBrowser.Open(App).SignInAsync(staffEmail, StaffBrowser.Password);
        Assert.DoesNotContain(staff.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal));

        // Unknown languages are refused and change nothing.
        var unknown = await browser.PostFormAsync("/portal/profile", new Dictionary<string, string> { ["Language"] = "fr" }, "/portal/profile?handler=Language");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        await using (var db = App.Db())
        {
            Assert.Equal("nl", (await db.Users.SingleAsync(u => u.AmbassadorId == me)).Language);
        }
    }
}

public sealed class ProfileOnSqlite(SqliteFixture fixture) : ProfileTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ProfileOnPostgres(PostgresFixture fixture) : ProfileTests(fixture), IClassFixture<PostgresFixture>;
