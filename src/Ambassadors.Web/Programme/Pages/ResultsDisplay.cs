using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http.Pages;
using Ambassadors.Web.Stats;
using Humanizer;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Programme.Pages;

/// <summary>How the results pages write money lists, ranks and a piece's embargo, in the page's language.</summary>
public static class ResultsDisplay
{
    /// <summary>"12.50 EUR, 3.00 USD" (never summed across currencies); "–" when there is none.</summary>
    public static string Money(IReadOnlyList<MoneyView> amounts, IStringLocalizer<ResultsTexts> t) =>
        amounts.Count == 0 ? t["Money.None"] : string.Join(", ", amounts.Select(m => Display.Money(m.Amount, m.Currency)));

    /// <summary>A step's share of the step before: "12.5%", and "0.04%" rather than "0%" for a sliver of a large reach.</summary>
    public static string Share(double fraction) =>
        fraction is > 0 and < 0.01 ? fraction.ToString("0.##%", CultureInfo.CurrentCulture) : Display.Percent(fraction);

    /// <summary>"1st" / "1e" (Humanizer).</summary>
    public static string Rank(int rank) => rank.Ordinalize(CultureInfo.CurrentUICulture);

    /// <summary>"Exclusive preview until 12 Dec 2026, in 5 days", "Public since 3 Nov 2026, 4 weeks ago", "Public from the start".</summary>
    public static string Embargo(ContentPiece piece, DateTimeOffset now, IStringLocalizer<ResultsTexts> t) => piece.EmbargoUntil switch
    {
        null => t["Embargo.None"],
        { } until when until > now => t["Embargo.Until", Display.Date(DateOnly.FromDateTime(until.UtcDateTime)), Display.Ago(until, now)],
        { } until => t["Embargo.Since", Display.Date(DateOnly.FromDateTime(until.UtcDateTime)), Display.Ago(until, now)],
    };

    /// <summary>Whether a piece is still an exclusive preview.</summary>
    public static bool Embargoed(ContentPiece piece, DateTimeOffset now) => piece.EmbargoUntil is { } until && until > now;
}
