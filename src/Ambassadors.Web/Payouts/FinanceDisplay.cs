using Humanizer;
using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Payouts;

namespace Ambassadors.Web.Payouts;

/// <summary>How the finance pages write money, dates and statuses.</summary>
public static class FinanceDisplay
{
    /// <summary>"1,234.50 EUR": the currency's own decimals, invariant separators.</summary>
    public static string Money(decimal amount, string currency)
    {
        var decimals = Currencies.IsKnown(currency) ? Currencies.DecimalsOf(currency) : 2;
        return $"{amount.ToString("N" + decimals, CultureInfo.InvariantCulture)} {currency}";
    }

    public static string Date(DateOnly date) => IsoDates.Write(date);

    public static string Date(DateOnly? date) => date is { } d ? Date(d) : "";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Time(DateTimeOffset? at) => at is { } a ? Time(a) : "";

    /// <summary>"1 line", "3 rewards": a count with its noun, in the pages' language (Humanizer).</summary>
    public static string Count(int count, string noun) => noun.ToQuantity(count);

    /// <summary>"2 hours ago", "yesterday": how long ago, in the pages' language (Humanizer), beside the exact time.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => at.Humanize(now, PagesCulture);

    /// <summary>The pages are in English until the workspaces bring the language switch.</summary>
    private static readonly CultureInfo PagesCulture = CultureInfo.GetCultureInfo("en");

    public static string Totals(IEnumerable<CurrencyTotalView> totals)
    {
        var written = totals.Select(t => Money(t.Amount, t.Currency)).ToList();
        return written.Count == 0 ? "nothing" : string.Join(", ", written);
    }

    /// <summary>Parses an amount with a dot as the decimal separator (what a number input sends), whatever the server's culture.</summary>
    public static bool TryParseAmount(string? text, out decimal amount) =>
        decimal.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out amount);

    public static string Invariant(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A readable line per field error ("iban: The IBAN's check digits are wrong.").</summary>
    public static IEnumerable<string> Describe(Failure failure) =>
        failure.FieldErrors is { Count: > 0 } fields ? fields.SelectMany(f => f.Value) : [failure.Detail];
}

/// <summary>One bar: a period's net amount paid.</summary>
public sealed record Bar(string Label, string Value, double X, double Y, double Width, double Height);

/// <summary>An inline-SVG bar chart of the net amounts paid per period end, one chart per currency.</summary>
public sealed record PaidChart(string Currency, IReadOnlyList<Bar> Bars, string Maximum)
{
    public const double Width = 640;
    public const double Height = 200;
    public const double Left = 8;
    public const double Top = 32;
    public const double Bottom = 34;
    public const int Periods = 12;

    /// <summary>The last <see cref="Periods"/> periods with a paid batch, oldest first, per currency.</summary>
    public static IReadOnlyList<PaidChart> From(IEnumerable<BatchView> batches)
    {
        var paid = batches.Where(b => b.Is(PayoutBatchStatus.Paid))
            .SelectMany(b => b.Totals.Select(t => (b.PeriodEnd, t.Currency, t.Amount)))
            .GroupBy(t => t.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var charts = new List<PaidChart>();
        foreach (var currency in paid)
        {
            var periods = currency.GroupBy(t => t.PeriodEnd)
                .Select(g => (Period: g.Key, Amount: g.Sum(t => t.Amount)))
                .OrderBy(p => p.Period)
                .TakeLast(Periods)
                .ToList();
            var max = Math.Max(periods.Max(p => p.Amount), 0m);
            var slot = (Width - Left * 2) / Math.Max(periods.Count, 4);
            var plot = Height - Top - Bottom;
            var bars = periods.Select((p, i) =>
            {
                var height = max > 0 ? (double)(Math.Max(p.Amount, 0m) / max) * plot : 0;
                return new Bar(FinanceDisplay.Date(p.Period), FinanceDisplay.Money(p.Amount, currency.Key),
                    Left + i * slot + slot * 0.15, Top + plot - height, slot * 0.7, Math.Max(height, 1));
            }).ToList();
            charts.Add(new PaidChart(currency.Key, bars, FinanceDisplay.Money(max, currency.Key)));
        }
        return charts;
    }
}
