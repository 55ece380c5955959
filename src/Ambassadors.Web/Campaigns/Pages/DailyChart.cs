using Ambassadors.Web.Stats;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>
/// A campaign's last 30 days, drawn on the server as inline SVG (the finance chart's family: its axis, text and bars):
/// clicks and unique visitors as lines in the upper panel, leads and sales as bars in the lower one, each panel on its
/// own scale so a handful of sales still shows beside thousands of clicks. Each day is a group titled with its four
/// figures, for a pointer and a screen reader alike.
/// </summary>
public sealed record DailyChart(IReadOnlyList<DailyStats> Days, long TrafficMax, long ConversionMax)
{
    public const double Width = 720;
    public const double Height = 290;
    public const double Left = 36;
    public const double Right = 8;
    public const double TrafficTop = 30;
    public const double TrafficBase = 140;
    public const double ConversionTop = 180;
    public const double ConversionBase = 252;

    /// <summary>The series, in the legend's order, by the name the texts and the stylesheet use.</summary>
    public static readonly IReadOnlyList<string> Series = ["clicks", "uniqueVisitors", "leads", "sales"];

    public static DailyChart Of(IReadOnlyList<DailyStats> days) => new(days,
        days.Select(d => Math.Max(d.Clicks, d.UniqueVisitors)).DefaultIfEmpty(0).Max(),
        days.Select(d => Math.Max(d.Leads, d.Sales)).DefaultIfEmpty(0).Max());

    public bool IsEmpty => TrafficMax == 0 && ConversionMax == 0;

    public double SlotWidth => (Width - Left - Right) / Math.Max(Days.Count, 1);

    public double SlotLeft(int day) => Left + SlotWidth * day;

    /// <summary>The middle of a day's slot.</summary>
    public double X(int day) => SlotLeft(day) + SlotWidth / 2;

    private static double Scaled(long value, long max, double height) => max == 0 ? 0 : (double)value / max * height;

    /// <summary>The polyline of clicks or unique visitors ("x,y x,y …", invariant).</summary>
    public string Line(Func<DailyStats, long> series) => string.Join(" ", Days.Select((d, i) =>
        CampaignDisplay.Attribute(X(i)) + "," + CampaignDisplay.Attribute(TrafficBase - Scaled(series(d), TrafficMax, TrafficBase - TrafficTop))));

    /// <summary>A day's bar of leads (first) or sales (second): x, y, width, height.</summary>
    public (double X, double Y, double Width, double Height) Bar(int day, bool sales)
    {
        var value = sales ? Days[day].Sales : Days[day].Leads;
        var height = Scaled(value, ConversionMax, ConversionBase - ConversionTop);
        var width = SlotWidth * 0.36;
        return (SlotLeft(day) + SlotWidth * (sales ? 0.52 : 0.12), ConversionBase - height, width, height);
    }

    /// <summary>Days labelled under the axis: the first, every seventh, the last.</summary>
    public bool Labelled(int day) => day == 0 || day == Days.Count - 1 || (day % 7 == 0 && Days.Count - 1 - day >= 3);
}
