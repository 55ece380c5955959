using System.Globalization;
using Ambassadors.Web.Http.Pages;
using Humanizer;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Content.Pages;

/// <summary>How the pages say whether a piece is still an exclusive preview: "Exclusive preview until 12 Dec 2026 09:00 UTC, in 5 days".</summary>
public static class ContentPhrases
{
    public static string Visibility(IStringLocalizer<ContentTexts> texts, DateTimeOffset? embargoUntil, DateTimeOffset now) =>
        embargoUntil is { } until && until > now ? Embargo(texts, until, now) : texts["Visibility.Public"];

    public static string Embargo(IStringLocalizer<ContentTexts> texts, DateTimeOffset until, DateTimeOffset now) =>
        texts["Visibility.Embargo", Display.Time(until), Remaining(until - now)];

    /// <summary>"5 days" / "5 dagen", "3 hours" / "3 uur": Humanizer, in days at most, minutes at least.</summary>
    public static string Remaining(TimeSpan left) =>
        left.Humanize(precision: 1, culture: CultureInfo.CurrentUICulture, maxUnit: TimeUnit.Day, minUnit: TimeUnit.Minute);
}
