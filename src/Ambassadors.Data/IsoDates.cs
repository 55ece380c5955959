using System.Globalization;

namespace Ambassadors.Data;

/// <summary>The one way a day is written in the API, the pages and the command line: YYYY-MM-DD, nothing else.</summary>
public static class IsoDates
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>Parses YYYY-MM-DD exactly (surrounding spaces ignored), whatever the culture, so 05/06 cannot mean two things.</summary>
    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
