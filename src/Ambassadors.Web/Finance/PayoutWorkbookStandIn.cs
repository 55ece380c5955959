using ClosedXML.Excel;

namespace Ambassadors.Payouts.Workbook;

// TEMPORARY stand-in with the announced signature of Ambassadors.Payouts.Workbook.PayoutWorkbook, so this branch builds
// and its export can be tried before the real writers land. Delete this file when they do (the build then reports
// CS0436 for the duplicate type, so it cannot be forgotten).

public enum WorkbookWriterKind { Simple }

public readonly record struct WorkbookProgress(long RowsWritten, long TotalRows);

internal static class PayoutWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static string FileName(PayoutWorkbookSummary summary) =>
        $"payouts-{summary.PeriodEnd:yyyy-MM-dd}-{summary.BatchId}.xlsx";

    public static WorkbookWriterKind ChooseWriter(PayoutWorkbookSummary summary) => WorkbookWriterKind.Simple;

    public static Task WriteAsync(PayoutWorkbookData data, Stream output, WorkbookWriterKind? writer = null,
        IProgress<WorkbookProgress>? progress = null, CancellationToken ct = default)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Lines");
        string[] header = ["#", "Payee", "Email", "Currency", "Net (minor)", "Reference"];
        for (var column = 0; column < header.Length; column++) sheet.Cell(1, column + 1).Value = header[column];
        var total = data.Summary.LineCount;
        var row = 1;
        foreach (var line in data.Lines)
        {
            ct.ThrowIfCancellationRequested();
            row++;
            sheet.Cell(row, 1).Value = line.Number;
            sheet.Cell(row, 2).Value = line.Payee;
            sheet.Cell(row, 3).Value = line.Email;
            sheet.Cell(row, 4).Value = line.Currency;
            sheet.Cell(row, 5).Value = line.NetMinor;
            sheet.Cell(row, 6).Value = line.PaymentReference;
            progress?.Report(new WorkbookProgress(row - 1, total));
        }
        workbook.SaveAs(output);
        return Task.CompletedTask;
    }
}
