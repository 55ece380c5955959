namespace Ambassadors.Payouts.Workbook;

/// <summary>One ledger entry of a payee's statement: its date, campaign, kind in words, conversion and amount (minor units).</summary>
public sealed record StatementWorkbookEntry(DateOnly Date, string Campaign, string Kind, string? Conversion, long AmountMinor);

/// <summary>One line of the payee's (one currency): its entries and the total paid.</summary>
public sealed record StatementWorkbookLine(string Currency, IReadOnlyList<StatementWorkbookEntry> Entries, long TotalMinor);

/// <summary>
/// The words of a statement workbook, in the reader's language: the sheet's name and title, the summary's label and
/// value pairs, the entries' column headings and the total's label.
/// </summary>
public sealed record StatementWorkbookText(string SheetName, string Title, IReadOnlyList<(string Label, string Value)> Summary,
    IReadOnlyList<string> Columns, string Total);

/// <summary>
/// An ambassador's statement of one payout batch as an .xlsx (ClosedXML; a statement is a few hundred rows at most): a
/// title, the summary, then per currency a table of the entries with their total. Amounts are numbers with the currency's
/// decimals and code as their format, dates are dates, text is neutralised against formulas like finance's workbook.
/// </summary>
public static class StatementWorkbook
{
    /// <summary>Column widths in characters: AdjustToContents needs libgdiplus, which servers lack.</summary>
    private static readonly double[] Widths = [14, 36, 22, 30, 16];

    public static byte[] Write(StatementWorkbookText text, IReadOnlyList<StatementWorkbookLine> lines)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lines);
        using var output = new MemoryStream();
        ClosedXmlWorkbookWriter.Write([new WorkbookSheet(text.SheetName, Widths, Rows(text, lines), AutoFilter: false)], output);
        return output.ToArray();
    }

    private static IEnumerable<WorkbookCell[]> Rows(StatementWorkbookText text, IReadOnlyList<StatementWorkbookLine> lines)
    {
        yield return [WorkbookCell.HeaderText(text.Title)];
        foreach (var (label, value) in text.Summary) yield return [WorkbookCell.Of(label), WorkbookCell.Of(value)];
        foreach (var line in lines)
        {
            yield return [];
            yield return text.Columns.Select(WorkbookCell.HeaderText).ToArray();
            foreach (var entry in line.Entries)
            {
                yield return [WorkbookCell.Of(entry.Date), WorkbookCell.Of(entry.Campaign), WorkbookCell.Of(entry.Kind), WorkbookCell.Of(entry.Conversion),
                    Money(entry.AmountMinor, line.Currency)];
            }
            yield return [WorkbookCell.HeaderText(text.Total), default, default, default, Money(line.TotalMinor, line.Currency) with { Header = true }];
        }
    }

    /// <summary>A number with the currency's decimals and its code: 1,234.50 "EUR".</summary>
    private static WorkbookCell Money(long minor, string currency)
    {
        var cell = WorkbookCell.Money(minor, currency);
        return cell with { Format = $"{cell.Format} \"{currency}\"" };
    }
}
