using Ambassadors.Data;

namespace Ambassadors.Payouts.Workbook;

/// <summary>
/// A cell of a results workbook: text (neutralised against formulas), a whole number, money (a number with the currency's
/// decimals and its code as the format), a date or a percentage. The web host builds rows of these; the writer is finance's.
/// </summary>
public readonly struct SheetCell
{
    internal WorkbookCell Cell { get; }

    private SheetCell(WorkbookCell cell) => Cell = cell;

    public static SheetCell Text(string? text) => new(WorkbookCell.Of(text));

    public static SheetCell Integer(long value) => new(WorkbookCell.Integer(value));

    public static SheetCell Money(decimal amount, string currency)
    {
        var cell = WorkbookCell.Money(Currencies.ToMinor(amount, currency), currency);
        return new(cell with { Format = $"{cell.Format} \"{currency}\"" });
    }

    public static SheetCell Date(DateOnly date) => new(WorkbookCell.Of(date));

    /// <summary>A fraction shown as a percentage with one decimal (0.425 as 42.5%).</summary>
    public static SheetCell Percent(decimal fraction) => new(new WorkbookCell(WorkbookCellKind.Number, null, (double)fraction, default, "0.0%", false));

    public static SheetCell Empty => default;
}

/// <summary>One sheet: its name, the header row, column widths in characters and the rows under the header.</summary>
public sealed record ResultsSheet(string Name, IReadOnlyList<string> Columns, IReadOnlyList<double> Widths, IReadOnlyList<SheetCell[]> Rows);

/// <summary>
/// A campaign's results as an .xlsx (ClosedXML; a leaderboard is thousands of rows at most): each sheet a header row,
/// frozen, then its rows. Column widths are set here: AdjustToContents needs libgdiplus, which servers lack.
/// </summary>
public static class ResultsWorkbook
{
    public static byte[] Write(IReadOnlyList<ResultsSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        using var output = new MemoryStream();
        ClosedXmlWorkbookWriter.Write(sheets.Select(s => new WorkbookSheet(s.Name, s.Widths, Rows(s), AutoFilter: false)).ToList(), output);
        return output.ToArray();
    }

    private static IEnumerable<WorkbookCell[]> Rows(ResultsSheet sheet)
    {
        yield return sheet.Columns.Select(WorkbookCell.HeaderText).ToArray();
        foreach (var row in sheet.Rows) yield return row.Select(c => c.Cell).ToArray();
    }
}
