using System.Globalization;

namespace Ambassadors.Data;

/// <summary>The one way a day is written in the API, the pages and the command line: YYYY-MM-DD, nothing else.</summary>
public static class IsoDates
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>A day as YYYY-MM-DD, whatever the culture.</summary>
    public static string Write(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>The first day any date may be (API.md, "Input rules"): nothing the service does lies earlier.</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    /// <summary>The last day any date may be; with it, the end of a day (a payout's cutoff) is always a valid instant.</summary>
    public static readonly DateOnly Latest = new(2100, 12, 31);

    /// <summary>The rule in words, for messages: "a date written YYYY-MM-DD between 2000-01-01 and 2100-12-31".</summary>
    public const string Described = "a date written YYYY-MM-DD between 2000-01-01 and 2100-12-31";

    /// <summary>
    /// Parses YYYY-MM-DD exactly (surrounding spaces ignored), whatever the culture, so 05/06 cannot mean two things,
    /// and only days from <see cref="Earliest"/> to <see cref="Latest"/>.
    /// </summary>
    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && IsInRange(date);

    public static bool IsInRange(DateOnly date) => date >= Earliest && date <= Latest;
}
