namespace Ambassadors.Payouts.Workbook;

/// <summary>
/// Keeps user-controlled text from being read as a formula (CSV/formula injection) when finance opens the workbook
/// or re-saves it as CSV: text starting with = + - @ tab or carriage return gets a leading single quote, so the
/// stored text is e.g. <c>'=HYPERLINK(...)</c>. Both writers take every text cell through here. A leading line feed
/// is treated like a carriage return, since the cells store every line break as a line feed (see
/// <see cref="WorkbookCell.Of(string?)"/>).
/// </summary>
internal static class FormulaGuard
{
    private const string Triggers = "=+-@\t\r\n";

    public static string Neutralise(string text) =>
        text.Length > 0 && Triggers.Contains(text[0]) ? "'" + text : text;
}
