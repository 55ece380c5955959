using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Ambassadors.Payouts.Workbook;

/// <summary>
/// The streaming writer: the workbook row by row with SpreadCheetah, a maintained streaming xlsx writer. Each row goes
/// through a small buffer straight into its zip entry, so memory stays flat whatever the row count; strings are inline
/// (no shared-string table). It replaced a hand-written OpenXmlWriter one (263 lines) that was 8.3x plain CSV at 100k
/// lines against SpreadCheetah's 3.8x, at the same flat memory (docs/benchmarks.md, "Payout workbook").
/// The autofilter's range is set when a sheet starts, so a filtered sheet says how many rows it will have
/// (<see cref="WorkbookSheet.KnownRowCount"/>; a sheet that then yields another number fails the export).
/// </summary>
internal static class SpreadCheetahWorkbookWriter
{
    public static async Task WriteAsync(IReadOnlyList<WorkbookSheet> sheets, Stream output, CancellationToken cancellationToken)
    {
        var options = new SpreadCheetahOptions { PreserveStringWhitespace = true };
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(output, options, cancellationToken);
        var styles = new Dictionary<(string? Format, bool Header), StyleId?>();
        StyleId? StyleOf(WorkbookCell cell)
        {
            if (cell.Format is null && !cell.Header) return null;
            if (styles.TryGetValue((cell.Format, cell.Header), out var id)) return id;
            var style = new Style();
            if (cell.Format is { } format) style.Format = NumberFormat.Custom(format);
            if (cell.Header)
            {
                style.Font.Bold = true;
                style.Fill.Color = System.Drawing.Color.FromArgb(WorkbookStyle.HeaderFillArgb);
            }
            return styles[(cell.Format, cell.Header)] = spreadsheet.AddStyle(style);
        }

        foreach (var sheet in sheets)
        {
            var worksheet = new WorksheetOptions { FrozenRows = 1 };
            for (var column = 0; column < sheet.ColumnWidths.Count; column++)
            {
                worksheet.Column(column + 1).Width = StoredWidth(sheet.ColumnWidths[column]);
            }
            if (sheet.AutoFilter)
            {
                var rows = sheet.KnownRowCount ?? throw new InvalidOperationException($"Sheet {sheet.Name} has an autofilter but no known row count.");
                worksheet.AutoFilter = new AutoFilterOptions($"A1:{SpreadsheetUtility.GetColumnName(sheet.ColumnWidths.Count)}{Math.Max(rows, 1)}");
            }
            await spreadsheet.StartWorksheetAsync(sheet.Name, worksheet, cancellationToken);
            var written = 0;
            Cell[] row = [];
            foreach (var cells in sheet.Rows)
            {
                written++;
                if (row.Length != cells.Length) row = new Cell[cells.Length];
                for (var column = 0; column < cells.Length; column++) row[column] = Translate(cells[column], StyleOf(cells[column]));
                await spreadsheet.AddRowAsync(row, cancellationToken);
            }
            if (sheet.AutoFilter && written != sheet.KnownRowCount)
            {
                throw new InvalidOperationException($"Sheet {sheet.Name} was to have {sheet.KnownRowCount} rows (its autofilter's range) but had {written}.");
            }
        }
        await spreadsheet.FinishAsync(cancellationToken);
    }

    /// <summary>
    /// The width as stored in the file: what ClosedXML stores for the same width (it adds the cell padding, and
    /// takes it off again on load), so both writers' columns look, and read back, alike.
    /// </summary>
    internal static double StoredWidth(double width) => width + 0.710625;

    private static Cell Translate(WorkbookCell cell, StyleId? style) => cell.Kind switch
    {
        WorkbookCellKind.Empty => default,
        WorkbookCellKind.Text => new Cell(cell.Text, style),
        WorkbookCellKind.Date => new Cell(cell.Date, style),
        _ => new Cell(cell.Number, style),
    };
}
