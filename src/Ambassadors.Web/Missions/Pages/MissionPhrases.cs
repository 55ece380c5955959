using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http.Pages;
using Humanizer;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Missions.Pages;

/// <summary>Where a mission stands on a UTC day: not started, running (startsOn..dueOn inclusive) or over.</summary>
public enum MissionPhase { Upcoming, Current, Past }

/// <summary>How the missions pages say when and how much: "Starts in 3 days", "5 days left", "Ended 2 weeks ago", a bonus.</summary>
public static class MissionPhrases
{
    public static MissionPhase PhaseOf(Mission mission, DateOnly today) =>
        today < mission.StartsOn ? MissionPhase.Upcoming : today > mission.DueOn ? MissionPhase.Past : MissionPhase.Current;

    /// <summary>"3 days" / "3 dagen" (Humanizer, in the page's language), counted in whole days.</summary>
    public static string Days(int days) =>
        TimeSpan.FromDays(days).Humanize(culture: CultureInfo.CurrentUICulture, maxUnit: TimeUnit.Day, minUnit: TimeUnit.Day);

    /// <summary>The mission's time in a phrase, relative to <paramref name="today"/>.</summary>
    public static string When(IStringLocalizer texts, Mission mission, DateOnly today) => PhaseOf(mission, today) switch
    {
        MissionPhase.Upcoming => texts["When.Starts", Days(mission.StartsOn.DayNumber - today.DayNumber)],
        MissionPhase.Current when mission.DueOn == today => texts["When.LastDay"],
        MissionPhase.Current => texts["When.Left", Days(mission.DueOn.DayNumber - today.DayNumber)],
        _ => texts["When.Ended", Days(today.DayNumber - mission.DueOn.DayNumber)],
    };

    /// <summary>"1 Dec 2026 – 31 Dec 2026".</summary>
    public static string Dates(Mission mission) => $"{Display.Date(mission.StartsOn)} – {Display.Date(mission.DueOn)}";

    public static string Bonus(IStringLocalizer texts, Mission mission) =>
        mission.BonusMinor is { } b ? Display.Money(Currencies.FromMinor(b, mission.Currency), mission.Currency) : texts["Bonus.None"];

    public static string Status(IStringLocalizer texts, SubmissionStatus? status) => texts["Status." + (status?.Name() ?? "none")];
}
