using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Ambassadors.Web.Payouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Payouts;

/// <summary>The /finance workspace through HTTP as a browser posts its forms: batches, payee details, audit and the export.</summary>
public abstract class FinancePagesTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private IPayoutService Payouts => App.Services.GetRequiredService<IPayoutService>();

    [SkippableFact]
    public async Task APreviewShowsLinesTotalsAndMissingDetailsWithoutStoringABatch()
    {
        var admin = App.Admin();
        var payee = await PayoutSeed.AmbassadorOwedAsync(admin, perLead: 25m);
        var withoutDetails = await PayoutSeed.AmbassadorOwedAsync(admin, perLead: 30m, withDetails: false);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var before = (await Payouts.ListAsync(null, CancellationToken.None)).Count;

        var response = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = PayoutSteps.Today, ["MinimumAmount"] = "0" }, "/finance/new?handler=Preview");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"/finance/payees/{payee}\">Anna de Vries", html);
        Assert.Contains("25.00 EUR", html);
        Assert.Contains($"/finance/payees/{withoutDetails}\">Fill in payout details", html);
        Assert.Contains("Create draft", html);
        Assert.Equal(before, (await Payouts.ListAsync(null, CancellationToken.None)).Count);
    }

    [SkippableFact]
    public async Task ADiscardedDraftOffersNoExportAndRefusesOne()
    {
        await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 15m);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var created = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = PayoutSteps.Today, ["MinimumAmount"] = "0" }, "/finance/new?handler=Create");
        var url = created.Headers.Location!.OriginalString;

        var discarded = await finance.PostFormAsync(url, Confirmed(url), $"{url}?handler=Discard");
        Assert.Equal(HttpStatusCode.Redirect, discarded.StatusCode);
        var page = await finance.GetPageAsync(url);
        Assert.Contains("data-testid=\"status\">discarded<", page);
        Assert.DoesNotContain("Export workbook", page);

        var export = await finance.PostFormAsync(url, new Dictionary<string, string>(), $"{url}?handler=Export");
        Assert.Equal(HttpStatusCode.Conflict, export.StatusCode);
        Assert.Contains("there is no workbook to export", await export.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task ADraftIsCreatedApprovedAndPaidWithConflictsShownAsMessages()
    {
        var payee = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 40m);
        var (finance, email) = await StaffBrowser.SignedInAsync(App, "finance");

        var created = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = PayoutSteps.Today, ["MinimumAmount"] = "0" }, "/finance/new?handler=Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var url = created.Headers.Location!.OriginalString;
        Assert.StartsWith("/finance/batches/", url);
        var draft = await finance.GetPageAsync(url);
        Assert.Contains("data-testid=\"status\">draft<", draft);
        Assert.Contains("Draft batch created", draft);
        Assert.Contains($"/finance/payees/{payee}\"", draft);

        var approved = await finance.PostFormAsync(url, Confirmed(url), $"{url}?handler=Approve");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var page = await finance.GetPageAsync(url);
        Assert.Contains("data-testid=\"status\">approved<", page);
        Assert.Contains($"by {email}", page);

        var discard = await finance.PostFormAsync(url, Confirmed(url), $"{url}?handler=Discard");
        Assert.Equal(HttpStatusCode.Conflict, discard.StatusCode);
        Assert.Contains("data-testid=\"problem\"", await discard.Content.ReadAsStringAsync());

        var noReference = await finance.PostFormAsync(url, new Dictionary<string, string> { ["PaymentDate"] = "2026-11-20" }, $"{url}?handler=Paid");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReference.StatusCode);
        Assert.Contains("Payment reference is required", await noReference.Content.ReadAsStringAsync());

        var paid = await finance.PostFormAsync(url,
            new Dictionary<string, string>(Confirmed(url)) { ["PaymentDate"] = "2026-11-20", ["PaymentReference"] = "SEPA-2026-11-20" },
            $"{url}?handler=Paid");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        var done = await finance.GetPageAsync(url);
        Assert.Contains("data-testid=\"status\">paid<", done);
        Assert.Contains("20 Nov 2026, reference SEPA-2026-11-20", done);

        var audit = await finance.GetPageAsync($"/finance/audit?batch={Uri.EscapeDataString(url.Split('/').Last())}");
        Assert.Contains(email, audit);
        Assert.Contains("data-testid=\"audit\"", audit);
    }

    [SkippableFact]
    public async Task ApproveDiscardAndMarkPaidFirstAskWithTheBatchItsPayeesAndItsTotal()
    {
        await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 40m);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var created = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = PayoutSteps.Today, ["MinimumAmount"] = "0" }, "/finance/new?handler=Create");
        var url = created.Headers.Location!.OriginalString;
        var id = url.Split('/').Last();
        // The batch takes whatever else this class's database still owes, too.
        var batch = (await Payouts.GetAsync(id, withLines: false, CancellationToken.None))!;

        // Counts and times in words: "1 line (1 reward)", created "now" or seconds ago, beside the exact time.
        var page = await finance.GetPageAsync(url);
        Assert.Equal($"{Plural(batch.Lines, "line")} ({Plural(batch.Rewards, "reward")})", Between(page, "data-testid=\"line-count\">", "<"));
        Assert.Matches("^\\((now|\\w+ seconds? ago|a minute ago)\\)$", Between(page, "data-testid=\"created-ago\">", "<"));

        foreach (var (handler, question, button) in new[] { ("Discard", "Discard batch", "Yes, discard"), ("Approve", "Approve batch", "Yes, approve") })
        {
            var asked = await finance.PostFormAsync(url, new Dictionary<string, string>(), $"{url}?handler={handler}");
            var html = await asked.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            Assert.Contains($"{question} {id}?", html);
            Assert.Equal($"{batch.Lines} line{(batch.Lines == 1 ? "" : "s")}: Anna de Vries", Between(html, "data-testid=\"confirm-payees\">", "<"));
            Assert.Equal(FinanceDisplay.Totals(batch.Totals), Between(html, "data-testid=\"confirm-total\">", "<"));
            Assert.Contains(" EUR", FinanceDisplay.Totals(batch.Totals));
            Assert.Contains($"name=\"Confirmed\" value=\"{id}\"", html);
            Assert.Contains(">" + button + "<", html);
            StaffBrowser.TokenIn(Between(html, "data-testid=\"confirm\"", "</form>")); // the confirmation's own form carries the antiforgery token
            Assert.Equal("draft", (await Payouts.GetAsync(id, withLines: false, CancellationToken.None))!.Status); // nothing happened yet
        }

        var approved = await finance.PostFormAsync(url, Confirmed(url), $"{url}?handler=Approve");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var paid = new Dictionary<string, string> { ["PaymentDate"] = "2026-11-20", ["PaymentReference"] = "SEPA-42" };
        var ask = await (await finance.PostFormAsync(url, paid, $"{url}?handler=Paid")).Content.ReadAsStringAsync();
        Assert.Contains($"Mark batch {id} paid?", ask);
        Assert.Contains("paid on 20 Nov 2026 with reference SEPA-42", ask);
        Assert.Contains("name=\"PaymentReference\" value=\"SEPA-42\"", ask);
        Assert.Equal("approved", (await Payouts.GetAsync(id, withLines: false, CancellationToken.None))!.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await finance.PostFormAsync(url, new Dictionary<string, string>(paid) { ["Confirmed"] = id }, $"{url}?handler=Paid")).StatusCode);
        Assert.Equal("paid", (await Payouts.GetAsync(id, withLines: false, CancellationToken.None))!.Status);
    }

    private static string Plural(int count, string noun) => $"{count:N0} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>The confirmation's answer: the batch's id (the last segment of its page's URL).</summary>
    private static Dictionary<string, string> Confirmed(string batchUrl) => new() { ["Confirmed"] = batchUrl.Split('/').Last() };

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' is not on the page.");
        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    [SkippableFact]
    public async Task NothingToPayAndBadInputAreReadable422s()
    {
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var nothing = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = "2001-01-31", ["MinimumAmount"] = "0" }, "/finance/new?handler=Create");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nothing.StatusCode);
        Assert.Contains("Nothing to pay", await nothing.Content.ReadAsStringAsync());

        var bad = await finance.PostFormAsync("/finance/new",
            new Dictionary<string, string> { ["PeriodEnd"] = "last friday", ["MinimumAmount"] = "-3" }, "/finance/new?handler=Preview");
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("Period end must be a date written YYYY-MM-DD between 2000-01-01 and 2100-12-31.", html);
        Assert.Contains("Minimum amount must be a number of zero or more", html);

        // The calendar's edges: a day after 2100-12-31 is refused on the form, never a 500 from the cutoff's arithmetic.
        foreach (var edge in new[] { "9999-12-31", "2101-01-01", "1999-12-31" })
        {
            var far = await finance.PostFormAsync("/finance/new",
                new Dictionary<string, string> { ["PeriodEnd"] = edge, ["MinimumAmount"] = "0" }, "/finance/new?handler=Preview");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, far.StatusCode);
            Assert.Contains("Period end must be a date written YYYY-MM-DD between 2000-01-01 and 2100-12-31.", await far.Content.ReadAsStringAsync());
        }
    }

    [SkippableFact]
    public async Task AnUnknownBatchIsA404Page()
    {
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var response = await finance.GetAsync("/finance/batches/pay_doesnotexist");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Nothing is at /finance/batches/pay_doesnotexist", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task APayeesPageShowsWhatThatPayeeIsOwedWithoutDetails_AndNobodyElses()
    {
        // The page reads only the payee's own ledger entries (not everyone's missing details, then filtered).
        var payee = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 15m, leads: 2, withDetails: false);
        var other = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 7m, withDetails: false);
        var paid = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 9m);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");

        var page = await finance.GetPageAsync($"/finance/payees/{payee}");
        Assert.Contains("Owed without payout details", page);
        Assert.Contains("30.00", page);
        Assert.DoesNotContain("7.00", page);
        Assert.Contains("7.00", await finance.GetPageAsync($"/finance/payees/{other}"));
        Assert.DoesNotContain("Owed without payout details", await finance.GetPageAsync($"/finance/payees/{paid}"));
        var missing = await finance.GetPageAsync("/finance/missing-details");
        Assert.Contains($"/finance/payees/{payee}\"", missing);
        Assert.Contains($"/finance/payees/{other}\"", missing);
    }

    [SkippableFact]
    public async Task PayoutDetailsAreEditedWithReadableFieldErrorsAndAudited()
    {
        var payee = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 15m, withDetails: false);
        var (finance, email) = await StaffBrowser.SignedInAsync(App, "finance");
        Assert.Contains($"/finance/payees/{payee}\"", await finance.GetPageAsync("/finance/missing-details"));
        var url = $"/finance/payees/{payee}";

        var invalid = await finance.PostFormAsync(url, new Dictionary<string, string>
        {
            ["Method"] = "bank", ["LegalName"] = "Anna de Vries", ["Country"] = "NL", ["Iban"] = "NL00 ABNA 0417 1643 00",
        });
        var errors = await invalid.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("data-testid=\"error-iban\"", errors);
        Assert.Contains("please correct the fields marked below", errors);
        Assert.Null(await Payouts.GetDetailsAsync(payee, CancellationToken.None));

        // A valid Dutch IBAN for a payee in France: the IBAN's country must be the payee's.
        var elsewhere = await finance.PostFormAsync(url, new Dictionary<string, string>
        {
            ["Method"] = "bank", ["LegalName"] = "Anna de Vries", ["Country"] = "FR", ["Iban"] = "NL91 ABNA 0417 1643 00",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        var elsewhereHtml = await elsewhere.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-iban\"", elsewhereHtml);
        Assert.Contains("The IBAN is from NL but the country is FR", elsewhereHtml);
        Assert.Null(await Payouts.GetDetailsAsync(payee, CancellationToken.None));

        var saved = await finance.PostFormAsync(url, new Dictionary<string, string>
        {
            ["Method"] = "bank", ["LegalName"] = "Anna de Vries", ["Country"] = "NL", ["Iban"] = "NL91 ABNA 0417 1643 00",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await finance.GetPageAsync(url);
        Assert.Contains("Payout details saved.", page);
        Assert.Contains("data-testid=\"payee-name\">Payout details of Anna de Vries<", page); // the name, not the id, once nothing is owed
        Assert.Contains(PayoutSteps.Iban.Replace(" ", ""), page);
        Assert.Equal(PayoutSteps.Iban.Replace(" ", ""), (await Payouts.GetDetailsAsync(payee, CancellationToken.None))!.Iban);
        Assert.DoesNotContain($"/finance/payees/{payee}\"", await finance.GetPageAsync("/finance/missing-details"));
        Assert.Contains(email, await finance.GetPageAsync($"/finance/audit?ambassador={payee}"));

        var unknown = await finance.PostFormAsync(url, new Dictionary<string, string> { ["Method"] = "paypal" }, "/finance/payees/amb_nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [SkippableFact]
    public async Task AnUnknownPayeeIsA404AtOnceNotAnEmptyForm()
    {
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var response = await finance.GetAsync("/finance/payees/amb_nope");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Nothing is at /finance/payees/amb_nope", html);
        Assert.DoesNotContain("Save payout details", html);
    }

    [SkippableFact]
    public async Task AnExportRunsInTheBackgroundAndIsDownloadedOnceByWhoStartedIt()
    {
        await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 12m, leads: 3);
        var batch = await Payouts.CreateAsync(new BatchRequest(DateOnly.FromDateTime(DateTime.UtcNow)),
            new Actor("cli", "test"), CancellationToken.None);
        var id = batch.Value!.Id;
        var (finance, email) = await StaffBrowser.SignedInAsync(App, "finance");

        var started = await finance.PostFormAsync($"/finance/batches/{id}", new Dictionary<string, string>(), $"/finance/batches/{id}?handler=Export");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var jobId = started.Headers.Location!.OriginalString.Split("export=")[1].Split('#')[0];
        Assert.Contains("id=\"export-progress\"", await finance.GetPageAsync(started.Headers.Location.OriginalString));

        var (other, _) = await StaffBrowser.SignedInAsync(App, "finance");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/finance/exports/{jobId}")).StatusCode);

        var status = await StatusWhenFinishedAsync(finance, jobId);
        Assert.Equal("done", status["state"].Str());
        Assert.Equal(100, status["percent"]!.GetValue<int>());
        var data = await Payouts.WorkbookDataAsync(id, CancellationToken.None);
        var fileName = PayoutWorkbook.FileName(data!.Summary);
        Assert.Equal(fileName, status["fileName"].Str());
        Assert.True(status["totalRows"]!.GetValue<long>() > 0);
        Assert.Equal(status["totalRows"]!.GetValue<long>(), status["rowsWritten"]!.GetValue<long>());

        var download = await finance.GetAsync(status["downloadUrl"].Str());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(PayoutWorkbook.ContentType, download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fileName, download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        await using (var body = await download.Content.ReadAsStreamAsync())
        {
            var copy = new MemoryStream();
            await body.CopyToAsync(copy);
            using var zip = new ZipArchive(copy);
            Assert.Contains(zip.Entries, e => e.FullName == "xl/workbook.xml");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await finance.GetAsync(status["downloadUrl"].Str())).StatusCode);
        var exported = Assert.Single(await Payouts.AuditAsync(id, null, 50, CancellationToken.None), e => e.Action == "payout-batch.exported");
        Assert.Equal(email, exported.ActorName);
        Assert.Contains($"\"{fileName}\", {status["totalRows"]!.GetValue<long>()} rows", exported.Details);
        Assert.Contains("exported", await finance.GetPageAsync($"/finance/audit?batch={id}"));
        await using (var db = App.Db())
        {
            Assert.Null(await db.WorkbookExports.Where(e => e.Id == jobId).Select(e => e.Content).SingleAsync());
        }
        var after = await (await finance.GetAsync($"/finance/exports/{jobId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("downloaded", after["state"].Str());
    }

    private static async Task<JsonObject> StatusWhenFinishedAsync(StaffBrowser browser, string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await (await browser.GetAsync($"/finance/exports/{jobId}")).AssertJsonAsync(HttpStatusCode.OK);
            if (status["state"].Str() is "done" or "failed") return status;
            Assert.True(DateTime.UtcNow < deadline, $"The export did not finish within 30 s: {status.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}

public sealed class FinancePagesOnSqlite(SqliteFixture fixture) : FinancePagesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class FinancePagesOnPostgres(PostgresFixture fixture) : FinancePagesTests(fixture), IClassFixture<PostgresFixture>;
