using System.Globalization;
using Ambassadors.Web.Http.Pages;
using Humanizer;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>
/// The home page's sentences, in the request's language: counts from the resources ("12 clicks" / "12 kliks"), joined
/// and timed by Humanizer ("12 clicks and 1 sale since yesterday" / "12 kliks en 1 verkoop sinds gisteren").
/// </summary>
public static class HomePhrases
{
    private static CultureInfo Language => CultureInfo.CurrentUICulture;

    /// <summary>"12 clicks, 1 sale and 2.00 EUR in rewards since yesterday", or "Nothing new since 3 days ago — …".</summary>
    public static string Headline(IStringLocalizer texts, SinceLastVisit news, DateTimeOffset since, DateTimeOffset now)
    {
        var when = Display.Ago(since, now);
        if (news.Quiet) return texts[Changes(texts, news).Any() ? "Home.News.NoResults" : "Home.News.Nothing", when];
        var parts = new List<string>();
        if (news.Clicks > 0) parts.Add(Display.Count(texts, "Home.Count.Click", news.Clicks));
        if (news.Leads > 0) parts.Add(Display.Count(texts, "Home.Count.Lead", news.Leads));
        if (news.Sales > 0) parts.Add(Display.Count(texts, "Home.Count.Sale", news.Sales));
        if (news.Refunds > 0) parts.Add(Display.Count(texts, "Home.Count.Refund", news.Refunds));
        if (news.Earned.Count > 0) parts.Add(texts["Home.News.Earned", Display.Money(news.Earned.Select(m => (m.Amount, m.Currency)))]);
        return texts["Home.News.Headline", parts.Humanize(), when];
    }

    /// <summary>"You joined A and B.", "You are no longer in C…", "D ended." — one sentence per kind of change.</summary>
    public static IEnumerable<(string Kind, string Text)> Changes(IStringLocalizer texts, SinceLastVisit news)
    {
        if (news.Joined.Count > 0) yield return ("joined", texts["Home.News.Joined", news.Joined.Humanize()]);
        if (news.Removed.Count > 0) yield return ("removed", texts["Home.News.Removed", news.Removed.Humanize()]);
        if (news.Ended.Count > 0) yield return ("ended", texts["Home.News.Ended", news.Ended.Humanize()]);
    }

    /// <summary>"12.50 EUR becomes payable on 14 Dec 2026, in 9 days."</summary>
    public static string NextApproval(IStringLocalizer texts, NextApproval next, DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(next.At.UtcDateTime);
        var days = day.DayNumber - DateOnly.FromDateTime(now.UtcDateTime).DayNumber;
        var money = Display.Money(next.Amount.Amount, next.Amount.Currency);
        return days <= 0
            ? texts["Home.Next.Today", money, Display.Time(next.At)]
            : texts["Home.Next", money, Display.Date(day), TimeSpan.FromDays(days).Humanize(culture: Language, maxUnit: TimeUnit.Day)];
    }

    /// <summary>"starts in 2 weeks", "ends in 3 weeks", "ends today", "ended yesterday", "no end date".</summary>
    public static string Dates(IStringLocalizer texts, DateOnly? startsOn, DateOnly? endsOn, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (startsOn is { } start && start > today)
            return texts["Home.Campaign.Starts", Span(start.DayNumber - today.DayNumber), Display.Date(start)];
        if (endsOn is not { } end) return texts["Home.Campaign.NoEnd"];
        if (end == today) return texts["Home.Campaign.EndsToday"];
        if (end > today) return texts["Home.Campaign.Ends", Span(end.DayNumber - today.DayNumber), Display.Date(end)];
        // The campaign's last day is inclusive: it ended at the next midnight (UTC).
        var endedAt = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return texts["Home.Campaign.Ended", Display.Ago(endedAt, now), Display.Date(end)];
    }

    private static string Span(int days) => TimeSpan.FromDays(days).Humanize(culture: Language, maxUnit: TimeUnit.Week, minUnit: TimeUnit.Day);
}
