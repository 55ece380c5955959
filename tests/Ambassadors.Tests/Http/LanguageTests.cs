using System.Net;
using Ambassadors.Tests.Payouts;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ambassadors.Tests.Http;

/// <summary>
/// The pages in English and Dutch: the browser's Accept-Language as the default, the language switch (a POST that sets
/// a cookie for a year and goes back to a page of this site only) over it, remembered across sign-out; the API keeps
/// one language and one number format whatever the client asks.
/// </summary>
public abstract partial class LanguageTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private const string DutchCookie = ".AspNetCore.Culture=c%3Dnl%7Cuic%3Dnl";

    private HttpClient Client(string? acceptLanguage = null, string? cookie = null)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (acceptLanguage is not null) client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        if (cookie is not null) client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    [SkippableTheory]
    [InlineData(null, null, "en", "Sign in", "Password")]
    [InlineData("nl-NL,nl;q=0.9,en;q=0.8", null, "nl", "Aanmelden", "Wachtwoord")]
    [InlineData("de-DE,de;q=0.9", null, "en", "Sign in", "Password")]
    [InlineData("en-GB,en;q=0.9", DutchCookie, "nl", "Aanmelden", "Wachtwoord")]
    public async Task TheLoginPageSpeaksTheChosenLanguageElseTheBrowsers(string? acceptLanguage, string? cookie, string lang, string title, string password)
    {
        var html = await (await Client(acceptLanguage, cookie).GetAsync("/login")).Content.ReadAsStringAsync();
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains($"<h1>{title}</h1>", html);
        Assert.Contains($"<label for=\"password\">{password}</label>", html);
        Assert.Contains("data-testid=\"language-switch\"", html);
        Assert.Contains($"value=\"{lang}\" lang=\"{lang}\" class=\"link\" aria-pressed=\"true\"", html);
    }

    [SkippableFact]
    public async Task TheSwitchSetsAYearLongCookieAndGoesBackToThePage()
    {
        var browser = StaffBrowser.Open(App);
        var back = "/login?ReturnUrl=%2Ffinance";
        var switched = await browser.PostFormAsync(back, new Dictionary<string, string> { ["Culture"] = "nl", ["ReturnUrl"] = back }, "/language");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(back, switched.Headers.Location!.OriginalString);
        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        Assert.StartsWith(DutchCookie + ";", cookie);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie);
        var expires = DateTimeOffset.Parse(cookie.Split("expires=")[1].Split(';')[0]);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(364), DateTimeOffset.UtcNow.AddDays(366));
        Assert.Contains("<h1>Aanmelden</h1>", await browser.GetPageAsync(back));

        var english = await browser.PostFormAsync(back, new Dictionary<string, string> { ["Culture"] = "en", ["ReturnUrl"] = back }, "/language");
        Assert.Equal(back, english.Headers.Location!.OriginalString);
        Assert.Contains("<h1>Sign in</h1>", await browser.GetPageAsync(back));
    }

    [SkippableTheory]
    [InlineData("https://evil.example/login")]
    [InlineData("//evil.example/login")]
    [InlineData("/\\evil.example/login")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task TheSwitchGoesNowhereOutsideTheSite(string returnUrl)
    {
        var switched = await StaffBrowser.Open(App).PostFormAsync("/login",
            new Dictionary<string, string> { ["Culture"] = "nl", ["ReturnUrl"] = returnUrl }, "/language");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/login", switched.Headers.Location!.OriginalString);
    }

    [SkippableFact]
    public async Task TheSwitchNeedsTheFormsTokenAndAKnownLanguage()
    {
        var forged = await Client().PostAsync("/language",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Culture"] = "nl", ["ReturnUrl"] = "/login" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal)));
        var unknown = await StaffBrowser.Open(App).PostFormAsync("/login", new Dictionary<string, string> { ["Culture"] = "fr", ["ReturnUrl"] = "/login" }, "/language");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [SkippableFact]
    public async Task TheChoiceOutlivesSigningOutAndTheRefusalIsAlikeInDutch()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var browser = StaffBrowser.Open(App);
        await browser.PostFormAsync("/login", new Dictionary<string, string> { ["Culture"] = "nl", ["ReturnUrl"] = "/login" }, "/language");
        var wrong = await (await browser.SignInAsync(email, "Wrong-Password-2026")).Content.ReadAsStringAsync();
        var unknown = await (await browser.SignInAsync($"nobody.{Guid.NewGuid():N}@example.com", "Wrong-Password-2026")).Content.ReadAsStringAsync();
        const string refusal = "Het e-mailadres of het wachtwoord klopt niet. Na 10 mislukte pogingen wordt een account even geblokkeerd.";
        Assert.Contains($"data-testid=\"login-error\">{refusal}<", wrong);
        Assert.Contains($"data-testid=\"login-error\">{refusal}<", unknown);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, StaffBrowser.Password)).StatusCode);
        var finance = await browser.GetPageAsync("/finance");
        Assert.Contains("<html lang=\"nl\">", finance);
        Assert.Contains("<h1>Uitbetalingsbatches</h1>", finance);
        Assert.Contains("Aangemeld als", finance);
        Assert.Contains("(financiën)", finance);
        var signedOut = await browser.PostFormAsync("/finance", new Dictionary<string, string>(), "/logout");
        Assert.Equal("/login", signedOut.Headers.Location!.OriginalString);
        var login = await browser.GetPageAsync("/login");
        Assert.Contains("Je bent afgemeld.", login);
        Assert.Contains("<h1>Aanmelden</h1>", login);
    }

    [SkippableFact]
    public async Task TheFinancePagesSpeakDutchWithDutchNumbersDatesAndMessages()
    {
        await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 1234.5m);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        await finance.PostFormAsync("/login", new Dictionary<string, string> { ["Culture"] = "nl", ["ReturnUrl"] = "/finance" }, "/language");

        var preview = await (await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = PayoutSteps.Today, ["MinimumAmount"] = "0" }, "/finance/new?handler=Preview")).Content.ReadAsStringAsync();
        Assert.Contains("<h1>Nieuwe uitbetalingsbatch</h1>", preview);
        Assert.Contains("1.234,50 EUR", preview);
        Assert.Contains(">Concept aanmaken<", preview);
        var bad = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = "gisteren", ["MinimumAmount"] = "-1" }, "/finance/new?handler=Preview");
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("Het periode-einde moet een datum zijn als JJJJ-MM-DD", badHtml);
        Assert.Contains("Het minimumbedrag moet een getal van nul of meer zijn", badHtml);

        var created = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = PayoutSteps.Today, ["MinimumAmount"] = "0" }, "/finance/new?handler=Create");
        var url = created.Headers.Location!.OriginalString;
        var id = url.Split('/').Last();
        var batch = await finance.GetPageAsync(url);
        Assert.Contains("Conceptbatch aangemaakt:", batch);
        Assert.Contains("data-testid=\"status\">concept<", batch);
        Assert.Contains(">Goedkeuren<", batch);
        Assert.Matches("data-testid=\"created-ago\">\\((nu|[^)<]+ geleden)\\)<", batch);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Contains(today.ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("nl")).Replace(".", ""), batch);
        var asked = await (await finance.PostFormAsync(url, new Dictionary<string, string>(), $"{url}?handler=Approve")).Content.ReadAsStringAsync();
        Assert.Contains($"Batch {id} goedkeuren?", asked);
        Assert.Contains(">Ja, goedkeuren<", asked);
        Assert.Contains(">Annuleren<", asked);
        Assert.Contains("data-text-writing=\"{0} van {1} rijen geschreven…\"", await finance.GetPageAsync(
            (await finance.PostFormAsync(url, new Dictionary<string, string>(), $"{url}?handler=Export")).Headers.Location!.OriginalString));

        var missing = await finance.GetAsync("/finance/batches/pay_nothere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Er staat niets op /finance/batches/pay_nothere", await missing.Content.ReadAsStringAsync());
        Assert.Contains("<h1>Auditlog</h1>", await finance.GetPageAsync("/finance/audit"));
        Assert.Contains("<h1>Ontbrekende uitbetalingsgegevens</h1>", await finance.GetPageAsync("/finance/missing-details"));
    }

    [SkippableFact]
    public async Task ThePayoutDetailsFormExplainsItsFieldsInDutch()
    {
        var payee = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 15m, withDetails: false);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        await finance.PostFormAsync("/login", new Dictionary<string, string> { ["Culture"] = "nl", ["ReturnUrl"] = "/finance" }, "/language");
        var url = $"/finance/payees/{payee}";
        var form = await finance.GetPageAsync(url);
        Assert.Contains(">Naam rekeninghouder<", form);
        Assert.Contains("placeholder=\"zoals op de bankrekening\"", form);
        var invalid = await finance.PostFormAsync(url, new Dictionary<string, string>
        {
            ["Method"] = "bank", ["LegalName"] = "Anna de Vries", ["Country"] = "NL", ["Iban"] = "NL00 ABNA 0417 1643 00",
        });
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("De gegevens zijn niet opgeslagen; verbeter de gemarkeerde velden.", html);
        Assert.Contains("data-testid=\"error-iban\">Controleer de IBAN:", html);
    }

    [SkippableFact]
    public async Task EveryPageInEitherLanguageCarriesATokenInEachFormAndTheLanguageSwitch()
    {
        var payee = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 20m);
        var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");
        var created = await admin.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = PayoutSteps.Today, ["MinimumAmount"] = "0" }, "/finance/new?handler=Create");
        var batch = created.Headers.Location!.OriginalString;
        string[] pages = ["/login", "/logout", "/finance", "/finance/new", "/finance/missing-details", "/finance/audit", batch,
            $"/finance/payees/{payee}", "/manage/staff", "/manage"];
        foreach (var language in new[] { "en", "nl" })
        {
            await admin.PostFormAsync("/login", new Dictionary<string, string> { ["Culture"] = language, ["ReturnUrl"] = "/login" }, "/language");
            foreach (var path in pages)
            {
                var html = await admin.GetPageAsync(path);
                Assert.Contains($"<html lang=\"{language}\">", html);
                Assert.Contains("data-testid=\"language-switch\"", html);
                var forms = FormPattern().Matches(html).Select(m => m.Value).ToList();
                Assert.NotEmpty(forms);
                Assert.All(forms, form => Assert.Contains("name=\"__RequestVerificationToken\"", form));
                if (language == "nl") Assert.DoesNotContain(">Sign out<", html);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("<form[^>]*method=\"post\".*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex FormPattern();

    [SkippableFact]
    public async Task TheErrorPagesSpeakDutch()
    {
        var (manager, email) = await StaffBrowser.SignedInAsync(App, "manager");
        await manager.PostFormAsync("/login", new Dictionary<string, string> { ["Culture"] = "nl", ["ReturnUrl"] = "/login" }, "/language");
        var forbidden = await manager.GetAsync("/finance");
        var html = await forbidden.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("<h1>Deze pagina is niet voor jouw account</h1>", html);
        Assert.Contains($"Je bent aangemeld als {email} met de rol &#x27;campagnemanager&#x27;. De financiële werkruimte is voor accounts met de rol financiën of beheerder.", html);
        Assert.Contains(">Aanmelden met een ander account<", html);
        var staff = await (await manager.GetAsync("/manage/staff")).Content.ReadAsStringAsync();
        Assert.Contains("Alleen beheerders beheren de accounts van medewerkers.", staff);

        var forged = await Client(cookie: DutchCookie).PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("<h1>Het formulier kon niet worden aangenomen</h1>", await forged.Content.ReadAsStringAsync());
        var missing = await (await Client(acceptLanguage: "nl").GetAsync("/finance/nowhere")).Content.ReadAsStringAsync();
        Assert.Contains("<h1>Niet gevonden</h1>", missing);
    }

    [SkippableFact]
    public async Task TheApiIgnoresTheLanguage()
    {
        var english = await App.Admin().GetAsync("/api/v1/users/nobody/role");
        var client = App.Admin();
        client.DefaultRequestHeaders.Add("Accept-Language", "nl");
        client.DefaultRequestHeaders.Add("Cookie", DutchCookie);
        var dutch = await client.GetAsync("/api/v1/users/nobody/role");
        Assert.Equal(english.StatusCode, dutch.StatusCode);
        Assert.Equal((await english.AssertProblemAsync(english.StatusCode))["detail"].Str(), (await dutch.AssertProblemAsync(dutch.StatusCode))["detail"].Str());
        var campaign = await (await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Taal", objective = "sales", destinationUrl = "https://shop.example/", currency = "EUR", rewards = new { perSale = 1234.5m },
        })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1234.5m, campaign["rewards"]!["perSale"]!.GetValue<decimal>());
        Assert.DoesNotContain("1.234,5", campaign.ToJsonString());
    }
}

public sealed class LanguageOnSqlite(SqliteFixture fixture) : LanguageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class LanguageOnPostgres(PostgresFixture fixture) : LanguageTests(fixture), IClassFixture<PostgresFixture>;
