using System.Globalization;
using System.Resources;
using Ambassadors.Data;
using Humanizer;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Http.Pages;

/// <summary>
/// How every page writes numbers, money, dates and times: in the request's culture (English or Dutch, see
/// <see cref="Localization"/>), with Humanizer for the human phrases ("3 hours ago" / "3 uur geleden").
/// </summary>
public static class Display
{
    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>The words Display writes itself ("thousand", "nothing"), in SharedTexts beside the layout's.</summary>
    private static readonly ResourceManager Words = new(typeof(SharedTexts));

    private static string Word(string key) => Words.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    /// <summary>"1,234.50 EUR" / "1.234,50 EUR": the currency's own decimals, the culture's separators.</summary>
    public static string Money(decimal amount, string currency)
    {
        var decimals = Currencies.IsKnown(currency) ? Currencies.DecimalsOf(currency) : 2;
        return $"{amount.ToString("N" + decimals, Culture)} {currency}";
    }

    /// <summary>Amounts in several currencies, "12.50 EUR, 3.00 USD"; "nothing" / "niets" when there are none.</summary>
    public static string Money(IEnumerable<(decimal Amount, string Currency)> amounts)
    {
        var written = amounts.Select(a => Money(a.Amount, a.Currency)).ToList();
        return written.Count == 0 ? Word("Display.Nothing") : string.Join(", ", written);
    }

    /// <summary>"12,345" / "12.345".</summary>
    public static string Number(long value) => value.ToString("N0", Culture);

    /// <summary>A number with up to <paramref name="decimals"/> decimals, the culture's separators.</summary>
    public static string Number(decimal value, int decimals = 2) => value.ToString("#,0." + new string('#', decimals), Culture);

    /// <summary>"42.5%" / "42,5%" of a fraction (0.425).</summary>
    public static string Percent(double fraction) => fraction.ToString("0.#%", Culture);

    /// <summary>
    /// A count with its noun in the page's language: <c>{key}.One</c> for 1 and <c>{key}.Other</c> otherwise, each with
    /// {0} for the number ("1 line" / "1 regel", "3 lines" / "3 regels"). English and Dutch have these two forms only;
    /// Humanizer's ToQuantity pluralises English nouns alone.
    /// </summary>
    public static string Count(IStringLocalizer texts, string key, long count) =>
        texts[count == 1 ? key + ".One" : key + ".Other", Number(count)];

    /// <summary>
    /// A large number in short words: "950", "1.2 thousand" / "1,2 duizend", "3.4 million" / "3,4 miljoen" (one decimal,
    /// the culture's separator). Humanizer's ToMetric writes "1.2k" and its scale words are English only.
    /// </summary>
    public static string Compact(long value)
    {
        var magnitude = Math.Abs((decimal)value);
        var (divisor, key) = magnitude switch
        {
            >= 1_000_000_000_000m => (1_000_000_000_000m, "Display.Trillion"),
            >= 1_000_000_000m => (1_000_000_000m, "Display.Billion"),
            >= 1_000_000m => (1_000_000m, "Display.Million"),
            >= 1_000m => (1_000m, "Display.Thousand"),
            _ => (0m, null),
        };
        if (key is null) return Number(value);
        var scaled = decimal.Round(value / divisor, 1, MidpointRounding.AwayFromZero);
        return string.Format(Culture, Word(key), scaled.ToString("0.#", Culture));
    }

    /// <summary>"30 Nov 2026" / "30 nov 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Culture).Replace(".", "", StringComparison.Ordinal);

    public static string Date(DateOnly? date) => date is { } d ? Date(d) : "";

    /// <summary>The exact moment in UTC ("30 Nov 2026 14:05 UTC").</summary>
    public static string Time(DateTimeOffset at) => Date(DateOnly.FromDateTime(at.UtcDateTime)) + " " + at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Time(DateTimeOffset? at) => at is { } a ? Time(a) : "";

    /// <summary>"2 hours ago" / "2 uur geleden" (Humanizer), to put beside <see cref="Time(DateTimeOffset)"/>.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => at.Humanize(now, CultureInfo.CurrentUICulture);
}
