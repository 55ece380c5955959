using Ambassadors.Payouts.Workbook;
using ClosedXML.Excel;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Xunit.Abstractions;

namespace Ambassadors.Tests.Payouts;

/// <summary>The two writers give the same workbook, and both files are valid Open XML.</summary>
public sealed class WorkbookWritersAgreeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false, 200)]
    [InlineData(true, 30)]
    public async Task Both_writers_give_the_same_cells_types_formats_views_and_filters(bool empty, int minimumCells)
    {
        using var small = await WorkbookFiles.OpenAsync(Batch(empty), WorkbookWriterKind.ClosedXml);
        using var streamed = await WorkbookFiles.OpenAsync(Batch(empty), WorkbookWriterKind.Streaming);

        Assert.Equal(small.Worksheets.Select(w => w.Name), streamed.Worksheets.Select(w => w.Name));
        var compared = 0;
        foreach (var expected in small.Worksheets)
        {
            var actual = streamed.Worksheet(expected.Name);
            Assert.Equal(expected.RangeUsed()!.RangeAddress.ToString(), actual.RangeUsed()!.RangeAddress.ToString());
            Assert.Equal((expected.SheetView.SplitRow, expected.SheetView.SplitColumn), (actual.SheetView.SplitRow, actual.SheetView.SplitColumn));
            Assert.Equal(expected.AutoFilter.IsEnabled, actual.AutoFilter.IsEnabled);
            if (expected.AutoFilter.IsEnabled)
            {
                Assert.Equal(expected.AutoFilter.Range.RangeAddress.ToString(), actual.AutoFilter.Range.RangeAddress.ToString());
            }
            var lastColumn = expected.LastColumnUsed()!.ColumnNumber();
            for (var column = 1; column <= lastColumn; column++)
            {
                Assert.Equal(expected.Column(column).Width, actual.Column(column).Width, 6);
            }
            var addresses = expected.CellsUsed().Select(c => c.Address.ToString()!)
                .Union(actual.CellsUsed().Select(c => c.Address.ToString()!));
            foreach (var address in addresses)
            {
                var (e, a) = (expected.Cell(address), actual.Cell(address));
                var where = $"{expected.Name}!{address}";
                Assert.True(e.DataType == a.DataType, $"{where}: {e.DataType} vs {a.DataType}");
                Assert.True(Equals(e.Value, a.Value), $"{where}: '{e.Value}' vs '{a.Value}'");
                Assert.True(WorkbookFiles.FormatCode(e) == WorkbookFiles.FormatCode(a), $"{where}: {WorkbookFiles.FormatCode(e)} vs {WorkbookFiles.FormatCode(a)}");
                Assert.True(e.Style.Font.Bold == a.Style.Font.Bold, $"{where}: bold {e.Style.Font.Bold} vs {a.Style.Font.Bold}");
                Assert.True(e.Style.Fill.BackgroundColor == a.Style.Fill.BackgroundColor, $"{where}: fill {e.Style.Fill.BackgroundColor} vs {a.Style.Fill.BackgroundColor}");
                Assert.False(e.HasFormula || a.HasFormula, where);
                compared++;
            }
        }
        Assert.True(compared > minimumCells, $"only {compared} cells compared");
    }

    [Theory]
    [InlineData(WorkbookWriterKind.ClosedXml, false)]
    [InlineData(WorkbookWriterKind.Streaming, false)]
    [InlineData(WorkbookWriterKind.ClosedXml, true)]
    [InlineData(WorkbookWriterKind.Streaming, true)]
    public async Task The_file_passes_the_Open_XML_validator(WorkbookWriterKind writer, bool empty)
    {
        var bytes = await WorkbookFiles.WriteAsync(Batch(empty), writer);
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);

        var errors = new OpenXmlValidator().Validate(document).ToList();

        foreach (var error in errors)
        {
            output.WriteLine($"{error.Part?.Uri} {error.Path?.XPath}: {error.Description}");
        }
        Assert.Empty(errors);
    }

    /// <summary>The sample batch, or one with no lines and no rewards (headers only, autofilter on the header).</summary>
    private static PayoutWorkbookData Batch(bool empty)
    {
        var batch = WorkbookSamples.Batch();
        return empty
            ? new(batch.Summary with { Totals = [], LineCount = 0, RewardCount = 0, MissingDetailsCount = 0 }, [], [])
            : batch;
    }
}
