namespace Ambassadors.Data;

/// <summary>
/// The rule every text field shares (API.md, "Input rules"): no control characters (U+0000-U+001F and U+007F), except
/// tab, CR and LF in multi-line texts. A NUL or an escape sequence stored in a name ends up in workbooks, pages and logs.
/// </summary>
public static class PlainText
{
    public static bool HasControlCharacters(string text, bool multiline = false)
    {
        foreach (var c in text)
        {
            if (c is (< '\u0020' or '\u007F') && !(multiline && c is '\t' or '\r' or '\n')) return true;
        }
        return false;
    }

    /// <summary>The refusal for <paramref name="field"/>, in words.</summary>
    public static string Refusal(string field, bool multiline = false) => multiline
        ? $"'{field}' may not contain control characters (tab and line breaks are fine)."
        : $"'{field}' may not contain control characters or line breaks.";
}
