using Ambassadors.Data;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ambassadors.Cli;
using Ambassadors.Payouts;
using Microsoft.Extensions.DependencyInjection;
using Ambassadors.Payouts.Workbook;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Payouts;

/// <summary>
/// <c>ambassadors payouts …</c> run in-process against the database a running app serves: money owed is set up
/// through the web API, the CLI pays it, and what is stored is read back.
/// </summary>
public abstract partial class PayoutCliTests(EngineFixture fixture) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ambassadors-cli-payouts-" + Guid.NewGuid().ToString("N"));

    private AmbassadorsApp App => fixture.App;

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task Create_PrintsTheBatchAsJson_ListsMissingDetails_AndASecondRunHasNothingToPay()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (campaignId, paid, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(paid);
        await merchant.LeadsAsync(code, 3);
        var (unpaid, unpaidCode) = await admin.MemberAsync(campaignId);
        await merchant.LeadsAsync(unpaidCode, 2);

        var run = await RunAsync("payouts", "create", "--period-end", PayoutSteps.Today, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        using (var json = JsonDocument.Parse(run.Stdout))
        {
            var batch = json.RootElement;
            var id = batch.GetProperty("id").GetString()!;
            Assert.StartsWith("pay_", id);
            Assert.Equal("draft", batch.GetProperty("status").GetString());
            Assert.Equal(1, batch.GetProperty("lines").GetInt32());
            var total = Assert.Single(batch.GetProperty("totals").EnumerateArray());
            Assert.Equal("EUR", total.GetProperty("currency").GetString());
            Assert.Equal(6.00m, total.GetProperty("amount").GetDecimal());
            Assert.Equal(3, total.GetProperty("rewards").GetInt32());
            var missing = batch.GetProperty("missingDetails").EnumerateArray().Single(m => m.GetProperty("ambassadorId").GetString() == unpaid);
            Assert.Equal(4.00m, missing.GetProperty("amount").GetDecimal());
            Assert.Equal(6m, (await finance.BatchAsync(id)).LineOf(paid)!["net"]!.GetValue<decimal>());
        }
        // Never silently dropped: the payee without details is named on stderr too.
        Assert.Contains("warning", run.Stderr);
        Assert.Contains(unpaid, run.Stderr);

        var again = await RunAsync("payouts", "create", "--period-end", PayoutSteps.Today);

        Assert.Equal(ExitCodes.NothingToDo, again.ExitCode);
        Assert.Equal("", again.Stdout);
        Assert.Contains("Nothing to pay", again.Stderr);
        Assert.Contains("No batch was created", again.Stderr);
        Assert.Contains(unpaid, again.Stderr);

        var asJson = await RunAsync("payouts", "create", "--period-end", PayoutSteps.Today, "--json");

        Assert.Equal(ExitCodes.NothingToDo, asJson.ExitCode);
        using var nothing = JsonDocument.Parse(asJson.Stdout);
        Assert.True(nothing.RootElement.GetProperty("nothingToPay").GetBoolean());
        Assert.Contains(nothing.RootElement.GetProperty("missingDetails").EnumerateArray(),
            m => m.GetProperty("ambassadorId").GetString() == unpaid);
    }

    [SkippableFact]
    public async Task PaidBeforeApproveConflicts_ThenApproveAndPaid_AndRepeatsChangeNothing()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, ambassadorId, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(ambassadorId);
        await merchant.LeadsAsync(code, 2);

        var created = await RunAsync("payouts", "create", "--period-end", PayoutSteps.Today, "--minimum-amount", "1.50");
        Assert.True(created.ExitCode == ExitCodes.Ok, created.Stderr);
        Assert.Contains("EUR: 4.00 in 1 line(s)", created.Stdout);
        var id = CreatedId().Match(created.Stdout).Groups[1].Value;

        var early = await RunAsync("payouts", "paid", id);
        Assert.Equal(ExitCodes.Conflict, early.ExitCode);
        Assert.Contains("approve it", early.Stderr);
        Assert.Equal("", early.Stdout);
        Assert.Equal("draft", (await finance.BatchAsync(id))["status"].Str());

        var approved = await RunAsync("payouts", "approve", id);
        Assert.True(approved.ExitCode == ExitCodes.Ok, approved.Stderr);
        Assert.Contains($"Approved payout batch {id}", approved.Stdout);
        var approvedAgain = await RunAsync("payouts", "approve", id);
        Assert.Equal(ExitCodes.Ok, approvedAgain.ExitCode);
        Assert.Contains("nothing changed", approvedAgain.Stdout);

        var paid = await RunAsync("payouts", "paid", id, "--payment-date", "2026-01-15", "--reference", "RUN-42", "--json");
        Assert.True(paid.ExitCode == ExitCodes.Ok, paid.Stderr);
        using (var json = JsonDocument.Parse(paid.Stdout))
        {
            Assert.Equal("paid", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("2026-01-15", json.RootElement.GetProperty("paymentDate").GetString());
            Assert.Equal("RUN-42", json.RootElement.GetProperty("paymentReference").GetString());
            Assert.True(json.RootElement.GetProperty("changed").GetBoolean());
        }
        var paidAgain = await RunAsync("payouts", "paid", id, "--json");
        Assert.Equal(ExitCodes.Ok, paidAgain.ExitCode);
        using (var json = JsonDocument.Parse(paidAgain.Stdout))
        {
            Assert.False(json.RootElement.GetProperty("changed").GetBoolean());
            Assert.Equal("2026-01-15", json.RootElement.GetProperty("paymentDate").GetString());
        }
        var paidDifferently = await RunAsync("payouts", "paid", id, "--reference", "RUN-43");
        Assert.Equal(ExitCodes.Ok, paidDifferently.ExitCode);
        Assert.Contains("nothing changed", paidDifferently.Stdout);
        Assert.Contains("not applied", paidDifferently.Stderr);

        var approveAPaidBatch = await RunAsync("payouts", "approve", id);
        Assert.Equal(ExitCodes.Conflict, approveAPaidBatch.ExitCode);
        Assert.Contains("paid", approveAPaidBatch.Stderr);

        await using var db = App.Db();
        var stored = await db.PayoutBatches.AsNoTracking().SingleAsync(b => b.Id == id);
        Assert.Equal((PayoutBatchStatus.Paid, new DateOnly(2026, 1, 15), "RUN-42"), (stored.Status, stored.PaymentDate, stored.PaymentReference));
        Assert.All(await db.Ledger.AsNoTracking().Where(e => e.PayoutBatchId == id).ToListAsync(),
            e => Assert.Equal(LedgerEntryState.Paid, e.State));
        var audit = await db.AuditLog.AsNoTracking().Where(e => e.EntityId == id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["payout-batch.created", "payout-batch.approved", "payout-batch.paid"], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal("cli", e.Actor));
        Assert.All(audit, e => Assert.Equal($"cli ({Environment.UserName})", e.ActorName));

        var list = await RunAsync("payouts", "list", "--status", "paid", "--json");
        Assert.Equal(ExitCodes.Ok, list.ExitCode);
        using var listed = JsonDocument.Parse(list.Stdout);
        Assert.Contains(listed.RootElement.EnumerateArray(), b => b.GetProperty("id").GetString() == id);
        Assert.All(listed.RootElement.EnumerateArray(), b => Assert.Equal("paid", b.GetProperty("status").GetString()));
    }

    [SkippableFact]
    public async Task Export_WritesTheWorkbookWithThePayoutsRows_AndPrintsWhereAsJson()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (campaignId, anna, annaCode) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(anna, "Anna de Vries");
        await merchant.LeadsAsync(annaCode, 3);
        var (bram, bramCode) = await admin.MemberAsync(campaignId);
        await finance.BankDetailsAsync(bram, "Bram Jansen");
        await merchant.LeadsAsync(bramCode, 1);
        var created = await RunAsync("payouts", "create", "--period-end", PayoutSteps.Today, "--json");
        Assert.True(created.ExitCode == ExitCodes.Ok, created.Stderr);
        string id;
        using (var json = JsonDocument.Parse(created.Stdout)) id = json.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(ExitCodes.Ok, (await RunAsync("payouts", "approve", id)).ExitCode);
        Directory.CreateDirectory(_directory);

        var run = await RunAsync("payouts", "export", id, "--output", _directory, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        Assert.Equal("", run.Stderr); // stderr is no terminal: no progress bar
        using (var json = JsonDocument.Parse(run.Stdout))
        {
            var path = json.RootElement.GetProperty("path").GetString()!;
            Assert.Equal(Path.Combine(_directory, $"Ambassadors payouts {PayoutSteps.Today} {id}.xlsx"), path);
            Assert.Equal(new FileInfo(path).Length, json.RootElement.GetProperty("bytes").GetInt64());
            Assert.Equal(2 + 4, json.RootElement.GetProperty("rows").GetInt64());
            Assert.Equal("closedXml", json.RootElement.GetProperty("writer").GetString());
            Assert.Equal([path], Directory.GetFiles(_directory));

            using var workbook = new XLWorkbook(path);
            var sheet = workbook.Worksheet("Payouts");
            var columns = sheet.Row(1).CellsUsed().ToDictionary(c => c.GetString(), c => c.Address.ColumnNumber);
            var rows = sheet.RowsUsed().Skip(1)
                .Select(r => (Payee: r.Cell(columns["Payee"]).GetString(), Net: r.Cell(columns["Net"]).GetValue<decimal>(),
                    Reference: r.Cell(columns["Payment reference"]).GetString(), Ambassador: r.Cell(columns["Ambassador id"]).GetString()))
                .ToList();
            Assert.Equal(new[] { ("Anna de Vries", 6m, $"{id}-1", anna), ("Bram Jansen", 2m, $"{id}-2", bram) }, rows);
            Assert.Equal("approved", workbook.Worksheet("Summary").Cell("B5").GetString());
        }
        var exported = Assert.Single(await App.Services.GetRequiredService<IPayoutService>().AuditAsync(id, null, 50, CancellationToken.None),
            e => e.Action == "payout-batch.exported");
        Assert.Equal("cli", exported.Actor);
        Assert.Contains($"\"Ambassadors payouts {PayoutSteps.Today} {id}.xlsx\", 6 rows", exported.Details);

        var file = Path.Combine(_directory, "run.xlsx");
        var plain = await RunAsync("payouts", "export", id, "-o", file, "--progress");

        Assert.True(plain.ExitCode == ExitCodes.Ok, plain.Stderr);
        Assert.Equal(file, plain.Stdout.Trim());
        Assert.Contains("progress: 100% (6/6 rows)", plain.Stderr);
        Assert.DoesNotContain("\r", plain.Stderr);
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
        using (var workbook = new XLWorkbook(file)) Assert.Equal(3, workbook.Worksheet("Payouts").RowsUsed().Count());

        var nowhere = Path.Combine(_directory, "nowhere") + Path.DirectorySeparatorChar;
        var missing = await RunAsync("payouts", "export", id, "--output", nowhere);

        Assert.Equal(ExitCodes.InvalidInput, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr);
        Assert.False(Directory.Exists(nowhere));
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
    }

    [SkippableFact]
    public async Task ADiscardedBatch_HasNoWorkbook_AndCannotBeApprovedOrPaid()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, ambassadorId, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(ambassadorId);
        await merchant.LeadsAsync(code, 1);
        var id = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        await (await finance.PostAsync($"/api/v1/payouts/{id}/discard", null)).AssertJsonAsync(HttpStatusCode.OK);
        Directory.CreateDirectory(_directory);

        foreach (var args in new[]
                 {
                     new[] { "payouts", "export", id, "--output", _directory },
                     ["payouts", "approve", id],
                     ["payouts", "paid", id],
                 })
        {
            var run = await RunAsync(args);
            Assert.Equal(ExitCodes.Conflict, run.ExitCode);
            Assert.Contains("discarded", run.Stderr);
        }
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
        Assert.Equal("discarded", (await finance.BatchAsync(id))["status"].Str());
    }

    [SkippableFact]
    public async Task AnUnknownBatch_IsNotFound_ForEveryCommand()
    {
        _ = App;
        Directory.CreateDirectory(_directory);

        foreach (var args in new[]
                 {
                     new[] { "payouts", "approve", "pay_unknown" },
                     ["payouts", "paid", "pay_unknown", "--payment-date", "2026-01-15"],
                     ["payouts", "export", "pay_unknown", "--output", _directory, "--json"],
                 })
        {
            var run = await RunAsync(args);
            Assert.Equal(ExitCodes.NotFound, run.ExitCode);
            Assert.Contains("no payout batch pay_unknown", run.Stderr);
            Assert.Equal("", run.Stdout);
        }
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [SkippableTheory]
    [InlineData("2026-13-01")]
    [InlineData("31/05/2026")]
    [InlineData("last month")]
    [InlineData("9999-12-31")]
    [InlineData("1999-12-31")]
    public async Task ABadPeriodEnd_Exits2_WithAReadableMessage(string periodEnd)
    {
        var run = await RunAsync("payouts", "create", "--period-end", periodEnd);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"--period-end '{periodEnd}' is not a date written YYYY-MM-DD between 2000-01-01 and 2100-12-31", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    private Task<(HttpClient Admin, HttpClient Finance, HttpClient Merchant)> ClientsAsync() => App.PayoutClientsAsync();

    private Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunAsync("", ["--database", fixture.Engine == Engine.Sqlite ? "sqlite" : "postgres", "--connection-string", App.ConnectionString, .. args]);

    [GeneratedRegex(@"Created draft payout batch (\S+):")]
    private static partial Regex CreatedId();
}

public sealed class PayoutCliOnSqlite(SqliteFixture fixture) : PayoutCliTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PayoutCliOnPostgres(PostgresFixture fixture) : PayoutCliTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>The export's file handling and progress output, without a database.</summary>
public sealed class PayoutExportFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ambassadors-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailedOrCancelledExport_LeavesNoPartialFile_AndKeepsTheOldOne(bool cancel)
    {
        var path = Path.Combine(_directory, "payouts.xlsx");
        await File.WriteAllTextAsync(path, "the previous export");
        using var cancellation = new CancellationTokenSource();
        var batch = WorkbookSamples.Batch();
        var line = ((List<PayoutWorkbookLine>)batch.Lines)[0];
        IEnumerable<PayoutWorkbookLine> Failing()
        {
            for (var n = 1; ; n++)
            {
                if (n == 600)
                {
                    if (!cancel) throw new IOException("disk on fire");
                    cancellation.Cancel();
                }
                yield return line with { Number = n };
            }
        }
        var data = batch with { Lines = Failing() };

        var failure = await Record.ExceptionAsync(() => PayoutCommands.WriteFileAsync(data, path, WorkbookWriterKind.Streaming,
            new ExportProgress(TextWriter.Null, ExportProgress.Style.None), cancellation.Token));

        Assert.True(cancel ? failure is OperationCanceledException : failure is IOException, failure?.ToString());
        Assert.Equal([path], Directory.GetFiles(_directory));
        Assert.Equal("the previous export", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public void OnATerminal_OneBarIsRedrawnInPlace_AndEndsTheLine()
    {
        using var error = new StringWriter();
        var progress = new ExportProgress(error, ExportProgress.Style.Bar);

        for (var rows = 0; rows <= 200; rows += 10) progress.Report(new WorkbookProgress(rows, 200));
        progress.Finish();

        var text = error.ToString();
        Assert.Equal(21, text.Count(c => c == '\r')); // one redraw a percent shown, none repeated by Finish
        Assert.EndsWith("[##############################] 100%  200/200 rows" + Environment.NewLine, text);
        Assert.Single(text.Split(Environment.NewLine), l => l.Length > 0);
    }

    [Fact]
    public void WithProgressForcedButNoTerminal_PlainLinesEveryTenPercent()
    {
        using var error = new StringWriter();
        var progress = new ExportProgress(error, ExportProgress.Style.Lines);

        for (var rows = 1; rows <= 1000; rows += 7) progress.Report(new WorkbookProgress(rows, 1000));
        progress.Finish();

        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        Assert.StartsWith("progress: 0% (1/1000 rows)", lines[0]);
        Assert.Equal("progress: 100% (995/995 rows)", lines[^1]);
        Assert.DoesNotContain('\r', error.ToString());
    }
}
