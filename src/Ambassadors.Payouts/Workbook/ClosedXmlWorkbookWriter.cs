using ClosedXML.Excel;

namespace Ambassadors.Payouts.Workbook;

/// <summary>The whole workbook in memory through ClosedXML: simple, but about 14 KB a row; for small batches.</summary>
internal static class ClosedXmlWorkbookWriter
{
    public static void Write(IReadOnlyList<WorkbookSheet> sheets, Stream output)
    {
        using var workbook = new XLWorkbook();
        foreach (var sheet in sheets)
        {
            var worksheet = workbook.Worksheets.Add(sheet.Name);
            for (var column = 0; column < sheet.ColumnWidths.Count; column++)
            {
                worksheet.Column(column + 1).Width = sheet.ColumnWidths[column];
            }
            var row = 0;
            foreach (var cells in sheet.Rows)
            {
                row++;
                for (var column = 0; column < cells.Length; column++)
                {
                    if (!cells[column].IsEmpty) Set(worksheet.Cell(row, column + 1), cells[column]);
                }
            }
            worksheet.SheetView.FreezeRows(1);
            if (sheet.AutoFilter) worksheet.Range(1, 1, Math.Max(row, 1), sheet.ColumnWidths.Count).SetAutoFilter();
        }
        workbook.SaveAs(output);
    }

    private static void Set(IXLCell cell, WorkbookCell value)
    {
        switch (value.Kind)
        {
            case WorkbookCellKind.Text:
                cell.SetValue(value.Text);
                cell.DataType = XLDataType.Text;
                break;
            case WorkbookCellKind.Number:
                cell.SetValue(value.Number);
                break;
            case WorkbookCellKind.Date:
                cell.SetValue(value.Date);
                break;
        }
        if (value.Format is not null) cell.Style.NumberFormat.Format = value.Format;
        if (value.Header)
        {
            cell.Style.Font.Bold = true;
            cell.Style.Fill.BackgroundColor = XLColor.FromArgb(WorkbookStyle.HeaderFillArgb);
        }
    }
}
