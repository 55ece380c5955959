using System.Globalization;
using Ambassadors.Data;
using Humanizer;

namespace Ambassadors.Web.Http.Pages;

/// <summary>
/// How every page writes numbers, money, dates and times: in the request's culture (English or Dutch, see
/// <see cref="Localization"/>), with Humanizer for the human phrases ("3 hours ago" / "3 uur geleden").
/// </summary>
public static class Display
{
    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>"1,234.50 EUR" / "1.234,50 EUR": the currency's own decimals, the culture's separators.</summary>
    public static string Money(decimal amount, string currency)
    {
        var decimals = Currencies.IsKnown(currency) ? Currencies.DecimalsOf(currency) : 2;
        return $"{amount.ToString("N" + decimals, Culture)} {currency}";
    }

    /// <summary>"12,345" / "12.345".</summary>
    public static string Number(long value) => value.ToString("N0", Culture);

    /// <summary>A number with up to <paramref name="decimals"/> decimals, the culture's separators.</summary>
    public static string Number(decimal value, int decimals = 2) => value.ToString("#,0." + new string('#', decimals), Culture);

    /// <summary>"42.5%" / "42,5%" of a fraction (0.425).</summary>
    public static string Percent(double fraction) => fraction.ToString("0.#%", Culture);

    /// <summary>"30 Nov 2026" / "30 nov 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Culture).Replace(".", "", StringComparison.Ordinal);

    public static string Date(DateOnly? date) => date is { } d ? Date(d) : "";

    /// <summary>The exact moment in UTC ("30 Nov 2026 14:05 UTC").</summary>
    public static string Time(DateTimeOffset at) => Date(DateOnly.FromDateTime(at.UtcDateTime)) + " " + at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Time(DateTimeOffset? at) => at is { } a ? Time(a) : "";

    /// <summary>"2 hours ago" / "2 uur geleden" (Humanizer), to put beside <see cref="Time(DateTimeOffset)"/>.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => at.Humanize(now, CultureInfo.CurrentUICulture);
}
