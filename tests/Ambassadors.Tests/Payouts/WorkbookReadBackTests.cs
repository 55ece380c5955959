using Ambassadors.Payouts.Workbook;
using ClosedXML.Excel;

namespace Ambassadors.Tests.Payouts;

/// <summary>Each writer's workbook read back cell by cell with ClosedXML.</summary>
public sealed class WorkbookReadBackTests
{
    public static TheoryData<WorkbookWriterKind> Writers => new() { WorkbookWriterKind.ClosedXml, WorkbookWriterKind.Streaming };

    private static readonly string[] PayoutsHeaders =
    [
        "#", "Payee", "Email", "Country", "Method", "IBAN", "BIC", "PayPal email", "Currency", "Gross", "Clawbacks", "Net",
        "Rewards", "Payment reference", "Ambassador id",
    ];

    private static readonly string[] LinesHeaders =
    [
        "Line #", "Payment reference", "Ambassador id", "Payee", "Conversion", "Campaign id", "Campaign name", "Content id",
        "Content title", "Kind", "Date", "Currency", "Amount",
    ];

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task Sheets_have_frozen_bold_headers_autofilters_widths_and_no_formulas(WorkbookWriterKind writer)
    {
        using var workbook = await WorkbookFiles.OpenAsync(WorkbookSamples.Batch(), writer);

        Assert.Equal(["Summary", "Payouts", "Lines"], workbook.Worksheets.Select(w => w.Name));
        foreach (var sheet in workbook.Worksheets)
        {
            Assert.Equal(1, sheet.SheetView.SplitRow);
            Assert.Equal(0, sheet.SheetView.SplitColumn);
            foreach (var cell in sheet.CellsUsed())
            {
                Assert.False(cell.HasFormula, $"{sheet.Name}!{cell.Address} has a formula: {cell.FormulaA1}");
                var header = cell.Address.RowNumber == 1 || (sheet.Name == "Summary" && cell.Address.RowNumber == 19); // totals table
                Assert.Equal(header, cell.Style.Font.Bold);
            }
            var lastColumn = sheet.LastColumnUsed()!.ColumnNumber();
            for (var column = 1; column <= lastColumn; column++)
            {
                Assert.InRange(sheet.Column(column).Width, 6, 40);
            }
        }
        Assert.Equal(PayoutsHeaders, Row(workbook.Worksheet("Payouts"), 1));
        Assert.Equal(LinesHeaders, Row(workbook.Worksheet("Lines"), 1));
        Assert.Equal("A1:O5", workbook.Worksheet("Payouts").AutoFilter.Range.RangeAddress.ToString());
        Assert.Equal("A1:M8", workbook.Worksheet("Lines").AutoFilter.Range.RangeAddress.ToString());
        Assert.False(workbook.Worksheet("Summary").AutoFilter.IsEnabled);
        Assert.Equal("A1:O5", workbook.Worksheet("Payouts").RangeUsed()!.RangeAddress.ToString());
        Assert.Equal("A1:M8", workbook.Worksheet("Lines").RangeUsed()!.RangeAddress.ToString());
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task Payouts_hold_numbers_with_the_currency_decimals_and_text_ids(WorkbookWriterKind writer)
    {
        using var workbook = await WorkbookFiles.OpenAsync(WorkbookSamples.Batch(), writer);
        var sheet = workbook.Worksheet("Payouts");

        AssertNumber(sheet.Cell("A2"), 1, "0");
        AssertText(sheet.Cell("B2"), "Zoë Ångström 山田太郎 😀");
        AssertText(sheet.Cell("F2"), "SE4550000000058398257466");
        Assert.True(sheet.Cell("H2").IsEmpty());
        AssertText(sheet.Cell("I2"), "EUR");
        AssertNumber(sheet.Cell("J2"), 1234.56, "#,##0.00");
        AssertNumber(sheet.Cell("K2"), -10.5, "#,##0.00");
        AssertNumber(sheet.Cell("L2"), 1224.06, "#,##0.00");
        AssertNumber(sheet.Cell("M2"), 3, "0");
        AssertText(sheet.Cell("N2"), "PAY-2026-10-0001");

        AssertNumber(sheet.Cell("J3"), 50_000, "#,##0");
        AssertNumber(sheet.Cell("L3"), 50_000, "#,##0");
        AssertNumber(sheet.Cell("J4"), 10.125, "#,##0.000");
        AssertNumber(sheet.Cell("K4"), -10.25, "#,##0.000");
        AssertNumber(sheet.Cell("L4"), -0.125, "#,##0.000");

        // Ids and references that look like numbers stay text.
        AssertText(sheet.Cell("N5"), "0042");
        AssertText(sheet.Cell("O5"), "00123");
        AssertNumber(sheet.Cell("J5"), 0.99, "#,##0.00");
        AssertText(sheet.Cell("B5"), "O'Brien, Seán");
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task Formula_injection_payloads_are_stored_as_quoted_text(WorkbookWriterKind writer)
    {
        using var workbook = await WorkbookFiles.OpenAsync(WorkbookSamples.Batch(), writer);
        var injections = WorkbookSamples.Injections;
        var payouts = workbook.Worksheet("Payouts");
        var lines = workbook.Worksheet("Lines");

        AssertText(payouts.Cell("B3"), "'" + injections[0]); // payee
        AssertText(payouts.Cell("C3"), "'" + injections[1]); // email
        AssertText(payouts.Cell("H3"), "'" + injections[3]); // PayPal email
        AssertText(payouts.Cell("B4"), "'" + injections[4]); // tab
        AssertText(payouts.Cell("C4"), "'\n=2+2"); // carriage return, stored as a cell's line break
        AssertText(lines.Cell("G3"), "'" + injections[2]); // campaign name
        AssertText(lines.Cell("I4"), "'" + injections[0]); // content title
        AssertText(lines.Cell("I5"), "'" + injections[3]);
        AssertText(lines.Cell("G6"), "'" + injections[4]);
        AssertText(lines.Cell("I6"), "'\n=2+2");
        AssertText(lines.Cell("D5"), "'" + injections[0]); // payee again
        AssertText(workbook.Worksheet("Summary").Cell("B8"), "'" + injections[0]); // created by
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task Lines_hold_every_reward_with_dates_and_signed_amounts(WorkbookWriterKind writer)
    {
        using var workbook = await WorkbookFiles.OpenAsync(WorkbookSamples.Batch(), writer);
        var sheet = workbook.Worksheet("Lines");

        AssertNumber(sheet.Cell("A2"), 1, "0");
        AssertText(sheet.Cell("B2"), "PAY-2026-10-0001");
        AssertText(sheet.Cell("D2"), "Zoë Ångström 山田太郎 😀");
        AssertText(sheet.Cell("G2"), "Été 2026 ☀");
        AssertText(sheet.Cell("I2"), "Vidéo «best of»");
        AssertText(sheet.Cell("J2"), "reward");
        AssertDate(sheet.Cell("K2"), new DateTime(2026, 10, 1), "yyyy-mm-dd");
        AssertNumber(sheet.Cell("M2"), 1000, "#,##0.00");
        Assert.True(sheet.Cell("H3").IsEmpty());
        Assert.True(sheet.Cell("I3").IsEmpty());
        AssertNumber(sheet.Cell("M4"), -10.5, "#,##0.00");
        AssertNumber(sheet.Cell("M5"), 50_000, "#,##0");
        AssertNumber(sheet.Cell("M7"), -10.25, "#,##0.000");
        AssertText(sheet.Cell("I7"), "1234");
        AssertText(sheet.Cell("E8"), "00042");
        AssertText(sheet.Cell("G8"), "2026-10-01");
        AssertText(sheet.Cell("I8"), "  padded  ");
        AssertDate(sheet.Cell("K8"), new DateTime(2026, 10, 4), "yyyy-mm-dd");
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task Summary_lists_the_batch_and_its_totals_per_currency(WorkbookWriterKind writer)
    {
        using var workbook = await WorkbookFiles.OpenAsync(WorkbookSamples.Batch(), writer);
        var sheet = workbook.Worksheet("Summary");

        Assert.Equal(["Field", "Value"], Row(sheet, 1));
        AssertText(sheet.Cell("A2"), "Programme");
        AssertText(sheet.Cell("B2"), "Acme Ambassadors");
        AssertText(sheet.Cell("B3"), "pay_01JZABCDEF0123456789");
        AssertDate(sheet.Cell("B4"), new DateTime(2026, 10, 31), "yyyy-mm-dd");
        AssertText(sheet.Cell("B5"), "approved");
        AssertNumber(sheet.Cell("B6"), 25.5, "#,##0.0");
        AssertDate(sheet.Cell("B7"), new DateTime(2026, 11, 2, 7, 15, 42), "yyyy-mm-dd hh:mm"); // UTC
        AssertDate(sheet.Cell("B9"), new DateTime(2026, 11, 3, 16, 5, 0), "yyyy-mm-dd hh:mm");
        AssertText(sheet.Cell("B10"), "finance@acme.example");
        Assert.True(sheet.Cell("B11").IsEmpty());
        Assert.True(sheet.Cell("B12").IsEmpty());
        AssertDate(sheet.Cell("B13"), new DateTime(2026, 11, 5), "yyyy-mm-dd");
        Assert.True(sheet.Cell("B14").IsEmpty());
        AssertText(sheet.Cell("A15"), "Lines");
        AssertNumber(sheet.Cell("B15"), 4, "0");
        AssertNumber(sheet.Cell("B16"), 7, "0");
        AssertText(sheet.Cell("A17"), "Missing details");
        AssertNumber(sheet.Cell("B17"), 1, "0");
        Assert.True(sheet.Row(18).IsEmpty());

        Assert.Equal(["Currency", "Lines", "Rewards", "Gross", "Clawbacks", "Net"], Row(sheet, 19));
        Assert.True(sheet.Row(19).Cells().All(c => c.Style.Font.Bold));
        AssertText(sheet.Cell("A20"), "BHD");
        AssertNumber(sheet.Cell("B20"), 1, "0");
        AssertNumber(sheet.Cell("C20"), 2, "0");
        AssertNumber(sheet.Cell("D20"), 10.125, "#,##0.000");
        AssertNumber(sheet.Cell("E20"), -10.25, "#,##0.000");
        AssertNumber(sheet.Cell("F20"), -0.125, "#,##0.000");
        AssertText(sheet.Cell("A21"), "EUR");
        AssertNumber(sheet.Cell("F21"), 1225.05, "#,##0.00");
        AssertText(sheet.Cell("A22"), "JPY");
        AssertNumber(sheet.Cell("D22"), 50_000, "#,##0");
        Assert.Equal("A1:F22", sheet.RangeUsed()!.RangeAddress.ToString());
    }

    private static string[] Row(IXLWorksheet sheet, int row) =>
        sheet.Row(row).CellsUsed().Select(c => c.GetString()).ToArray();

    private static void AssertText(IXLCell cell, string expected)
    {
        Assert.Equal(XLDataType.Text, cell.DataType);
        Assert.Equal(expected, cell.GetString());
    }

    private static void AssertNumber(IXLCell cell, double expected, string format)
    {
        Assert.Equal(XLDataType.Number, cell.DataType);
        Assert.Equal(expected, cell.GetDouble());
        Assert.Equal(format, WorkbookFiles.FormatCode(cell));
    }

    private static void AssertDate(IXLCell cell, DateTime expected, string format)
    {
        Assert.Equal(XLDataType.DateTime, cell.DataType);
        Assert.Equal(expected, cell.GetDateTime());
        Assert.Equal(format, WorkbookFiles.FormatCode(cell));
    }
}
