using System.Globalization;
using System.Text;
using Ambassadors.Data;

namespace Ambassadors.Payouts.Workbook;

/// <summary>Which writer produces the workbook: both give the same cells, values and formats.</summary>
public enum WorkbookWriterKind
{
    /// <summary>ClosedXML: the whole workbook in memory; for small batches.</summary>
    ClosedXml,

    /// <summary>SpreadCheetah, row by row: flat memory; for large batches.</summary>
    Streaming,
}

/// <summary>Lines and rewards written so far, of the summary's line and reward counts.</summary>
public readonly record struct WorkbookProgress(long RowsWritten, long TotalRows);

/// <summary>
/// The payout workbook (.xlsx) for finance's payment run: a Summary sheet, a Payouts sheet (one row per line) and
/// a Lines sheet (every reward). Money cells are numbers with the currency's decimals, dates are dates, ids are
/// text, there are no formulas, and user text that could start a formula is neutralised.
/// </summary>
public static class PayoutWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Lines plus rewards above which the streaming writer is used.</summary>
    /// <remarks>
    /// Measured with <c>tools/Ambassadors.Bench export</c> (fresh process per run, peak RSS growth, 2 cores, server GC;
    /// two rewards per line): ClosedXML grows by about 15 KB a row, 48 MB at 3,000 rows, 104 MB at 6,000, 148 MB at
    /// 9,000, 214 MB at 15,000 (231 MB with workstation GC) and 460 MB at 30,000, so it crosses the 256 MB an export
    /// may take at about 17,000 rows. The streaming writer (SpreadCheetah) stays at 9-12 MB from 30,000 to 300,000 rows. 5,000 rows
    /// keeps ClosedXML near 80 MB: a 3x margin for larger GC heaps on machines with more cores, wider rows (long
    /// names and titles) and two exports at once. (The streaming writer is also the faster one at every size.)
    /// </remarks>
    public const int StreamingThresholdRows = 5_000;

    private const int MaxFileNameLength = 150;

    public static WorkbookWriterKind ChooseWriter(PayoutWorkbookSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return (long)summary.LineCount + summary.RewardCount > StreamingThresholdRows
            ? WorkbookWriterKind.Streaming
            : WorkbookWriterKind.ClosedXml;
    }

    /// <summary>
    /// "{programme} payouts {period end} {batch id}.xlsx" in characters safe in any file system and in a
    /// Content-Disposition header: ASCII letters and digits, space, '-', '_' and '.'; accents are dropped
    /// ("Café" becomes "Cafe"), anything else becomes '-'.
    /// </summary>
    public static string FileName(PayoutWorkbookSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var programme = Safe(summary.ProgrammeName);
        var stem = Safe($"{(programme.Length == 0 ? "Ambassadors" : programme)} payouts " +
                        $"{IsoDates.Write(summary.PeriodEnd)} {Safe(summary.BatchId)}");
        if (stem.Length > MaxFileNameLength) stem = stem[..MaxFileNameLength].TrimEnd(' ', '.', '-');
        return stem + ".xlsx";
    }

    /// <summary>
    /// Writes the workbook to <paramref name="output"/>, which may be non-seekable (an HTTP response body): the
    /// writers then fill a temporary file, copied over asynchronously. Lines and rewards are enumerated once, on a
    /// thread-pool thread (they may read a database synchronously). <paramref name="writer"/> defaults to
    /// <see cref="ChooseWriter"/>.
    /// </summary>
    public static async Task WriteAsync(PayoutWorkbookData data, Stream output, WorkbookWriterKind? writer = null,
        IProgress<WorkbookProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        var kind = writer ?? ChooseWriter(data.Summary);
        // ClosedXML reads back what it writes, the package writes synchronously: both want a seekable file or memory.
        if (output.CanSeek && output.CanRead)
        {
            await Task.Run(() => WriteAsync(kind, data, output, progress, cancellationToken), cancellationToken);
            return;
        }
        var path = Path.Combine(Path.GetTempPath(), $"ambassadors-payouts-{Guid.NewGuid():N}.xlsx");
        await using var buffer = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await Task.Run(() => WriteAsync(kind, data, buffer, progress, cancellationToken), cancellationToken);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private static async Task WriteAsync(WorkbookWriterKind kind, PayoutWorkbookData data, Stream output,
        IProgress<WorkbookProgress>? progress, CancellationToken cancellationToken)
    {
        var counter = new RowCounter((long)data.Summary.LineCount + data.Summary.RewardCount, progress, cancellationToken);
        var sheets = WorkbookLayout.Sheets(data, counter);
        switch (kind)
        {
            case WorkbookWriterKind.ClosedXml:
                ClosedXmlWorkbookWriter.Write(sheets, output);
                break;
            case WorkbookWriterKind.Streaming:
                await SpreadCheetahWorkbookWriter.WriteAsync(sheets, output, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        counter.Complete();
    }

    private static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var safe = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : char.IsWhiteSpace(c) ? ' ' : '-';
            // No runs of separators, none leading.
            if (safe is ' ' or '-' && (builder.Length == 0 || builder[^1] is ' ' or '-')) continue;
            builder.Append(safe);
        }
        return builder.ToString().Trim(' ', '-', '.');
    }
}
