using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Cli;

/// <summary>
/// <c>ambassadors payouts create|list|approve|paid|export</c>: the monthly payout run from a shell or a cron job,
/// through the same <see cref="IPayoutService"/> as the web API. Reports go to stdout (JSON only, with --json);
/// warnings, errors and the progress bar to stderr.
/// </summary>
internal static class PayoutCommands
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var group = new Command("payouts",
            "Payout batches: create one for what is owed, approve it, export the workbook for the payment run, mark it paid. "
            + ExitCodes.Help);
        group.Subcommands.Add(CreateCommand(globals, io));
        group.Subcommands.Add(ListCommand(globals, io));
        group.Subcommands.Add(ApproveCommand(globals, io));
        group.Subcommands.Add(PaidCommand(globals, io));
        group.Subcommands.Add(ExportCommand(globals, io));
        return group;
    }

    /// <summary>Who the audit log says did it: "cli", named with the operating-system account.</summary>
    internal static Actor CliActor() => new("cli", $"cli ({Environment.UserName})");

    private static Command CreateCommand(GlobalOptions globals, CliIo io)
    {
        var periodEnd = DateOption("--period-end", "The last day (UTC, inclusive) whose approved rewards are paid.");
        periodEnd.Required = true;
        var minimum = new Option<decimal>("--minimum-amount")
        {
            Description = "A balance must reach this much, in its own currency, to be paid now; smaller ones wait for a later batch.",
            HelpName = "amount",
            DefaultValueFactory = _ => 0m,
            CustomParser = ParseAmount,
        };
        var json = JsonOption("Print the batch as JSON (as the web API's POST /api/v1/payouts answers); "
            + "with nothing to pay: {\"nothingToPay\":true,\"message\",\"periodEnd\",\"minimumAmount\",\"missingDetails\"}.");

        var command = new Command("create",
            "Create a draft batch: one line per payee and currency owed an approved, unpaid balance up to --period-end. "
            + "Payees owed money without payout details are listed (stderr) and wait. Exit 4 when there is nothing to pay: no batch is made.")
        {
            periodEnd, minimum, json,
        };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var request = new BatchRequest(parseResult.GetValue(periodEnd)!.Value, parseResult.GetValue(minimum));
            var payouts = await PayoutsAsync(context, cancellationToken);
            var result = await payouts.CreateAsync(request, CliActor(), cancellationToken);
            var asJson = parseResult.GetValue(json);

            if (result.Failure is { Kind: FailureKind.NothingToPay } nothing)
            {
                var missing = nothing.MissingDetails();
                if (asJson)
                {
                    await WriteJsonAsync(context, new NothingToPayReport(true, nothing.Detail, request.PeriodEnd, request.MinimumAmount, missing));
                }
                await context.Error.WriteLineAsync($"{nothing.Detail} No batch was created.");
                await WarnMissingDetailsAsync(context, missing, "they are paid once their details are stored");
                return ExitCodes.NothingToDo;
            }

            var batch = Succeeded(result);
            if (asJson)
            {
                await WriteJsonAsync(context, batch);
            }
            else
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Created draft payout batch {batch.Id}: rewards up to {batch.PeriodEnd:yyyy-MM-dd}, minimum {batch.MinimumAmount}."));
                await context.Out.WriteLineAsync($"  {batch.Lines} line(s), {batch.Rewards} reward(s)");
                foreach (var total in batch.Totals)
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {total.Currency}: {total.Amount} in {total.Lines} line(s) ({total.Rewards} reward(s); gross {total.Gross}, clawbacks {total.Clawbacks})"));
                }
                await context.Out.WriteLineAsync(
                    $"Next: check `ambassadors payouts export {batch.Id}`, then `ambassadors payouts approve {batch.Id}`.");
            }
            await WarnMissingDetailsAsync(context, batch.MissingDetails, "not in this batch; they are paid in a later one once their details are stored");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(GlobalOptions globals, CliIo io)
    {
        var status = new Option<string>("--status") { Description = "Only batches with this status." }.AcceptOnlyFromAmong([.. PayoutBatchStatuses.Names]);
        var json = JsonOption("Print the batches as a JSON array.");
        var command = new Command("list", "List payout batches, newest first.") { status, json };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var payouts = await PayoutsAsync(context, cancellationToken);
            var batches = await payouts.ListAsync(parseResult.GetValue(status), cancellationToken);
            if (parseResult.GetValue(json))
            {
                await WriteJsonAsync(context, batches);
                return ExitCodes.Ok;
            }
            if (batches.Count == 0) await context.Error.WriteLineAsync("No payout batches.");
            foreach (var batch in batches)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{batch.Id}  {batch.Status,-9}  period end {batch.PeriodEnd:yyyy-MM-dd}  {batch.Lines} line(s)  {Totals(batch)}  "
                    + $"created {batch.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}Z by {batch.CreatedBy}"));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ApproveCommand(GlobalOptions globals, CliIo io)
    {
        var batchId = BatchIdArgument();
        var json = JsonOption("Print the batch as JSON, with \"changed\": false when it was already approved.");
        var command = new Command("approve",
            "Approve a draft batch for payment. Approving it again changes nothing (exit 0); a paid or discarded batch: exit 5.")
        {
            batchId, json,
        };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(batchId)!;
            var payouts = await PayoutsAsync(context, cancellationToken);
            var result = await payouts.ApproveAsync(id, CliActor(), cancellationToken);
            var batch = Succeeded(result, id);
            var changed = result.Changed;
            await ReportTransitionAsync(context, parseResult.GetValue(json), batch, changed,
                changed ? $"Approved payout batch {id}: {Totals(batch)}." : $"Payout batch {id} was already approved: nothing changed.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PaidCommand(GlobalOptions globals, CliIo io)
    {
        var batchId = BatchIdArgument();
        var paymentDate = DateOption("--payment-date", "The day the money went out (default: today, UTC).");
        var reference = new Option<string>("--reference")
        {
            Description = "The bank's or PayPal's reference of the payment run, at most 140 characters.",
            HelpName = "text",
        };
        var json = JsonOption("Print the batch as JSON, with \"changed\": false when it was already paid.");
        var command = new Command("paid",
            "Mark an approved batch paid: its rewards become paid, exactly once. Repeating it changes nothing (exit 0); "
            + "a draft (approve it first) or discarded batch: exit 5.")
        {
            batchId, paymentDate, reference, json,
        };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(batchId)!;
            var date = parseResult.GetValue(paymentDate);
            var text = parseResult.GetValue(reference);
            var payouts = await PayoutsAsync(context, cancellationToken);
            var result = await payouts.MarkPaidAsync(id, date, text, CliActor(), cancellationToken);
            var batch = Succeeded(result, id);
            var changed = result.Changed;
            var payment = string.Create(CultureInfo.InvariantCulture, $"on {batch.PaymentDate:yyyy-MM-dd}")
                + (batch.PaymentReference is { } r ? $", reference {r}" : "");
            await ReportTransitionAsync(context, parseResult.GetValue(json), batch, changed,
                changed ? $"Marked payout batch {id} paid {payment}: {Totals(batch)}." : $"Payout batch {id} was already paid {payment}: nothing changed.");
            if (!changed && (date is not null && date != batch.PaymentDate
                             || !string.IsNullOrWhiteSpace(text) && text.Trim() != batch.PaymentReference))
            {
                await context.Error.WriteLineAsync("warning: --payment-date and --reference were not applied: the batch keeps the payment recorded first.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ExportCommand(GlobalOptions globals, CliIo io)
    {
        var batchId = BatchIdArgument();
        var output = new Option<string>("--output", "-o")
        {
            Description = "The file to write, or an existing directory to write \"<programme> payouts <period end> <batch id>.xlsx\" in "
                + "(default: that name in the current directory). An existing file is replaced.",
            HelpName = "path",
        };
        var progress = new Option<bool>("--progress")
        {
            Description = "Report progress even when stderr is not a terminal, as a plain line every 10 % "
                + "(on a terminal a bar is always drawn; redirected, there is none unless asked for).",
        };
        var json = JsonOption("Print {\"path\",\"bytes\",\"rows\",\"writer\"} as JSON (rows: lines and rewards written).");
        var command = new Command("export",
            "Write a batch's payout workbook (.xlsx: Summary, Payouts, Lines) for the payment run and print its path. "
            + "It is written to a temporary file first: a failed or cancelled export leaves no partial file.")
        {
            batchId, output, progress, json,
        };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(batchId)!;
            var payouts = await PayoutsAsync(context, cancellationToken);
            var data = await payouts.WorkbookDataAsync(id, cancellationToken) ?? throw NoSuchBatch(id);
            if (data.Summary.Status == PayoutBatchStatus.Discarded.Name())
            {
                throw new CliException(ExitCodes.Conflict, $"Payout batch {id} was discarded: it pays nothing, so there is no workbook.");
            }
            var path = TargetPath(parseResult.GetValue(output), data.Summary);
            var writer = PayoutWorkbook.ChooseWriter(data.Summary);
            var report = ExportProgress.For(context.Io, parseResult.GetValue(progress));
            try
            {
                await WriteFileAsync(data, path, writer, report, cancellationToken);
            }
            catch
            {
                report.Abandon();
                throw;
            }
            report.Finish();
            await payouts.RecordExportAsync(id, Path.GetFileName(path), report.RowsWritten, CliActor(), cancellationToken);

            if (parseResult.GetValue(json))
            {
                await WriteJsonAsync(context, new Exported(path, new FileInfo(path).Length, report.RowsWritten,
                    JsonNamingPolicy.CamelCase.ConvertName(writer.ToString())));
            }
            else
            {
                await context.Out.WriteLineAsync(path);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Fills a temporary file next to <paramref name="path"/>, then renames it: whoever reads
    /// <paramref name="path"/> sees the whole workbook or none.</summary>
    internal static async Task WriteFileAsync(PayoutWorkbookData data, string path, WorkbookWriterKind writer, ExportProgress progress,
        CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                await PayoutWorkbook.WriteAsync(data, file, writer, progress, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // nothing left to delete once moved
        }
    }

    /// <summary>--output as a file, or as a directory (an existing one, or one written with a trailing separator).</summary>
    private static string TargetPath(string? output, PayoutWorkbookSummary summary)
    {
        var name = PayoutWorkbook.FileName(summary);
        if (string.IsNullOrWhiteSpace(output)) return Path.Combine(Directory.GetCurrentDirectory(), name);
        string full;
        try
        {
            full = Path.GetFullPath(output);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CliException(ExitCodes.InvalidInput, $"--output '{output}' is not a valid path: {exception.Message}");
        }
        if (Directory.Exists(full)) return Path.Combine(full, name);
        if (output.EndsWith(Path.DirectorySeparatorChar) || output.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new CliException(ExitCodes.InvalidInput, $"--output: the directory {full} does not exist.");
        }
        var directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory))
        {
            throw new CliException(ExitCodes.InvalidInput, $"--output: the directory {directory ?? full} does not exist.");
        }
        return full;
    }

    private static async Task<IPayoutService> PayoutsAsync(CliContext context, CancellationToken cancellationToken)
    {
        await context.RequireMigratedAsync(cancellationToken);
        return context.Services.GetRequiredService<IPayoutService>();
    }

    private static CliException NoSuchBatch(string id) =>
        new(ExitCodes.NotFound, $"no payout batch {id}: see `ambassadors payouts list`.");

    /// <summary>The value, or the error as a message and its exit code (an unknown <paramref name="batchId"/> as "no payout batch").</summary>
    private static T Succeeded<T>(Result<T> result, string? batchId = null)
    {
        if (result.Failure is not { } failure) return result.Value!;
        if (failure.Kind == FailureKind.NotFound && batchId is not null) throw NoSuchBatch(batchId);
        var details = failure.FieldErrors is { Count: > 0 } errors ? " " + string.Join(" ", errors.SelectMany(e => e.Value)) : "";
        throw new CliException(failure.Kind switch
        {
            FailureKind.NotFound => ExitCodes.NotFound,
            FailureKind.Conflict => ExitCodes.Conflict,
            FailureKind.NothingToPay => ExitCodes.NothingToDo,
            _ => ExitCodes.InvalidInput,
        }, failure.Detail + details);
    }

    private static async Task ReportTransitionAsync(CliContext context, bool asJson, BatchView batch, bool changed, string message)
    {
        if (!asJson)
        {
            await context.Out.WriteLineAsync(message);
            return;
        }
        var node = JsonSerializer.SerializeToNode(batch, CliJson.Options)!.AsObject();
        node["changed"] = changed;
        await context.Out.WriteLineAsync(node.ToJsonString(CliJson.Options));
    }

    /// <summary>On stderr, so that a cron job sending stdout nowhere still reports who cannot be paid.</summary>
    private static async Task WarnMissingDetailsAsync(CliContext context, IReadOnlyList<MissingDetailsView> missing, string consequence)
    {
        if (missing.Count == 0) return;
        await context.Error.WriteLineAsync($"warning: {missing.Count} payee(s) owed money have no payout details, {consequence}:");
        foreach (var payee in missing)
        {
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {payee.Name} <{payee.Email}> ({payee.AmbassadorId}): {payee.Amount} {payee.Currency}"));
        }
    }

    private static string Totals(BatchView batch) => batch.Totals.Count == 0
        ? "nothing to pay"
        : string.Join(", ", batch.Totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Amount} {t.Currency}")));

    private static Task WriteJsonAsync<T>(CliContext context, T value) =>
        context.Out.WriteLineAsync(JsonSerializer.Serialize(value, CliJson.Options));

    private static Option<bool> JsonOption(string description) => new("--json") { Description = description };

    private static Argument<string> BatchIdArgument() => new("batch-id") { Description = "The batch's id (pay_…), as `payouts list` shows." };

    /// <summary>A day written YYYY-MM-DD and nothing else, so 05/06 cannot mean two things.</summary>
    private static Option<DateOnly?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "YYYY-MM-DD",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (IsoDates.TryParse(text, out var date)) return date;
            result.AddError($"{name} '{text}' is not {IsoDates.Described}, e.g. 2026-05-31.");
            return null;
        },
    };

    private static decimal ParseAmount(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return 0m;
        var text = result.Tokens[0].Value;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return amount;
        result.AddError($"--minimum-amount '{text}' is not an amount: write a number of at least 0 with a '.' for decimals, e.g. 25 or 12.50.");
        return 0m;
    }

    private sealed record NothingToPayReport(bool NothingToPay, string Message, DateOnly PeriodEnd, decimal MinimumAmount,
        IReadOnlyList<MissingDetailsView> MissingDetails);

    private sealed record Exported(string Path, long Bytes, long Rows, string Writer);
}
