using Ambassadors.Payouts.Workbook;
using ClosedXML.Excel;

namespace Ambassadors.Tests.Payouts;

internal static class WorkbookFiles
{
    public static async Task<byte[]> WriteAsync(PayoutWorkbookData data, WorkbookWriterKind writer)
    {
        using var output = new MemoryStream();
        await PayoutWorkbook.WriteAsync(data, output, writer);
        return output.ToArray();
    }

    public static async Task<XLWorkbook> OpenAsync(PayoutWorkbookData data, WorkbookWriterKind writer) =>
        new(new MemoryStream(await WriteAsync(data, writer)));

    /// <summary>The number format's code, also for a built-in format ClosedXML reads back as an id only.</summary>
    public static string FormatCode(IXLCell cell)
    {
        var format = cell.Style.NumberFormat;
        return format.Format.Length > 0 ? format.Format : $"builtin:{format.NumberFormatId}";
    }
}
