using Ambassadors.Data;
using System.Text;
using System.Xml;

namespace Ambassadors.Payouts.Workbook;

internal enum WorkbookCellKind { Empty, Text, Number, Date }

/// <summary>
/// One cell as both writers write it: a text, a number or a date (a number with a date format), its number format
/// and whether it is a header cell (bold, shaded). The writers only translate these, so they cannot disagree.
/// </summary>
internal readonly record struct WorkbookCell(WorkbookCellKind Kind, string? Text, double Number, DateTime Date, string? Format, bool Header)
{
    public const string IntegerFormat = "0";
    public const string DateFormat = "yyyy-mm-dd";
    public const string TimestampFormat = "yyyy-mm-dd hh:mm";

    private static readonly string[] FixedFormats = ["#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000"];

    public bool IsEmpty => Kind == WorkbookCellKind.Empty;

    public static WorkbookCell HeaderText(string text) => new(WorkbookCellKind.Text, text, 0, default, null, true);

    /// <summary>
    /// Text neutralised against formula injection, with line breaks as Excel keeps them in a cell (a line feed:
    /// XML parsers turn a stored carriage return into one anyway, so ClosedXML's file and the streamed one could
    /// otherwise not read back alike) and characters XML cannot carry replaced; null stays an empty cell.
    /// </summary>
    public static WorkbookCell Of(string? text) =>
        text is null ? default : new(WorkbookCellKind.Text, LineFeeds(XmlSafe(FormulaGuard.Neutralise(text))), 0, default, null, false);

    public static WorkbookCell Integer(long value) => new(WorkbookCellKind.Number, null, value, default, IntegerFormat, false);

    /// <summary>Integer minor units as a number with the currency's decimals, e.g. 123450 EUR as 1,234.50.</summary>
    public static WorkbookCell Money(long minor, string currency)
    {
        var decimals = Currencies.DecimalsOf(currency);
        var scale = 1m;
        for (var i = 0; i < decimals; i++) scale *= 10;
        return new(WorkbookCellKind.Number, null, (double)(minor / scale), default, FixedFormat(decimals), false);
    }

    /// <summary>A decimal shown with as many decimals as it has (none for a whole number).</summary>
    public static WorkbookCell Decimal(decimal value)
    {
        var decimals = (value / 1.0000000000000000000000000000m).Scale; // trailing zeros dropped
        return new(WorkbookCellKind.Number, null, (double)value, default, FixedFormat(decimals), false);
    }

    public static WorkbookCell Of(DateOnly? date) =>
        date is { } d ? new(WorkbookCellKind.Date, null, 0, d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), DateFormat, false) : default;

    /// <summary>A timestamp in UTC, shown to the minute.</summary>
    public static WorkbookCell Of(DateTimeOffset? timestamp) =>
        timestamp is { } t ? new(WorkbookCellKind.Date, null, 0, DateTime.SpecifyKind(t.UtcDateTime, DateTimeKind.Unspecified), TimestampFormat, false) : default;

    private static string FixedFormat(int decimals) =>
        decimals < FixedFormats.Length ? FixedFormats[decimals] : "#,##0." + new string('0', decimals);

    private static string LineFeeds(string text) =>
        text.Contains('\r') ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;

    /// <summary>Characters XML 1.0 cannot carry (control characters, lone surrogates) become U+FFFD.</summary>
    internal static string XmlSafe(string text)
    {
        var i = 0;
        while (i < text.Length && IsXmlCharAt(text, i, out var width)) i += width;
        if (i == text.Length) return text;
        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, i);
        while (i < text.Length)
        {
            if (IsXmlCharAt(text, i, out var width)) builder.Append(text, i, width);
            else builder.Append('\uFFFD');
            i += width;
        }
        return builder.ToString();
    }

    private static bool IsXmlCharAt(string text, int index, out int width)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return true;
        }
        width = 1;
        return XmlConvert.IsXmlChar(c);
    }
}

/// <summary>What header cells look like besides bold, the same in both writers.</summary>
internal static class WorkbookStyle
{
    /// <summary>Light blue-grey, as ARGB.</summary>
    public const int HeaderFillArgb = unchecked((int)0xFFD9E1F2);
}
