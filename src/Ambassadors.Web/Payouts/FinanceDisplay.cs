using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Http.Pages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Payouts;

/// <summary>
/// What only the finance pages write: totals per currency, amounts as a number input sends them, and a refusal of the
/// payout service in the page's language. Money, numbers, dates and times are <see cref="Display"/>'s.
/// </summary>
public static class FinanceDisplay
{
    /// <summary>"12.50 EUR, 3.00 USD" in the page's culture; "nothing" / "niets" when empty.</summary>
    public static string Totals(IEnumerable<CurrencyTotalView> totals) => Display.Money(totals.Select(t => (t.Amount, t.Currency)));

    /// <summary>Parses an amount with a dot as the decimal separator (what a number input sends), whatever the server's culture.</summary>
    public static bool TryParseAmount(string? text, out decimal amount) =>
        decimal.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out amount);

    /// <summary>
    /// The payout service's refusal in the page's language. Its sentences are the API's, in English: an English page shows
    /// them as they are (they name the exact fault), a Dutch one the sentence FinanceTexts has for the failure's kind.
    /// </summary>
    public static string Explain(Failure failure, IStringLocalizer texts) =>
        SpeaksEnglish ? failure.Detail : texts["Failure." + failure.Kind];

    /// <summary>The messages of one field at fault: the service's own in English, FinanceTexts' <c>FieldError.{field}</c> otherwise.</summary>
    public static IReadOnlyList<string> Explain(string field, string[] messages, IStringLocalizer texts) =>
        SpeaksEnglish || texts["FieldError." + field].ResourceNotFound ? messages : [texts["FieldError." + field]];

    /// <summary>A readable line per field error ("The IBAN's check digits are wrong.").</summary>
    public static IEnumerable<string> Describe(Failure failure, IStringLocalizer texts) =>
        failure.FieldErrors is { Count: > 0 } fields ? fields.SelectMany(f => Explain(f.Key, f.Value, texts)) : [Explain(failure, texts)];

    private static bool SpeaksEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
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
                return new Bar(Display.Date(p.Period), Display.Money(p.Amount, currency.Key),
                    Left + i * slot + slot * 0.15, Top + plot - height, slot * 0.7, Math.Max(height, 1));
            }).ToList();
            charts.Add(new PaidChart(currency.Key, bars, Display.Money(max, currency.Key)));
        }
        return charts;
    }
}
