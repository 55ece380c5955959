using Ambassadors.Web.Campaigns.Pages;

namespace Ambassadors.Web.Programme.Pages;

/// <summary>One campaign's bar: its name, the fraction of its KPI reached and that fraction in words.</summary>
public sealed record ProgressBar(string CampaignId, string Name, decimal Progress, string Text);

/// <summary>
/// The overview's chart: each campaign's KPI progress as a horizontal bar, full at the target (a campaign past it shows a
/// full bar and its real percentage). Name above, bar below, so it reads at 390 px as at full width.
/// </summary>
public sealed record ProgressChart(IReadOnlyList<ProgressBar> Bars)
{
    public const int MaxBars = 12;
    public const double Width = 360;
    public const double RowHeight = 40;
    public const double TextLine = 14;
    public const double BarTop = 20;
    public const double BarHeight = 14;

    public double Height => Math.Max(Bars.Count, 1) * RowHeight;

    public static double Top(int row) => row * RowHeight;

    public static string Length(ProgressBar bar) => CampaignDisplay.Attribute(Width * (double)Math.Clamp(bar.Progress, 0m, 1m));
}
