using Ambassadors.Web.Campaigns.Pages;
using Ambassadors.Web.Stats;

namespace Ambassadors.Web.Programme.Pages;

/// <summary>One step of a funnel and the share of the step before it that reached it (null after a step of 0).</summary>
public sealed record FunnelStep(string Stage, long Count, double? FromPrevious);

/// <summary>
/// A content piece's funnel drawn on the server as inline SVG: potential reach, unique visitors, clicks, leads and sales as
/// centred bars, each with its figure and the share of the step before. The bars' lengths are on a logarithmic scale so
/// a handful of sales still shows under a reach of hundreds of thousands. Narrow (360 units) so it reads on a phone.
/// </summary>
public sealed record FunnelChart(string Id, string Title, IReadOnlyList<FunnelStep> Steps, IReadOnlyList<MoneyView> Revenue)
{
    public const double Width = 360;
    public const double RowHeight = 46;
    public const double TextLine = 15;
    public const double BarTop = 21;
    public const double BarHeight = 18;

    /// <summary>The stages, top to bottom, by the name the texts and the stylesheet use.</summary>
    public static readonly IReadOnlyList<string> Stages = ["reach", "uniqueVisitors", "clicks", "leads", "sales"];

    public static FunnelChart Of(PieceFunnel funnel)
    {
        long[] counts = [funnel.Reach, funnel.UniqueVisitors, funnel.Clicks, funnel.Leads, funnel.Sales];
        var steps = counts.Select((count, i) => new FunnelStep(Stages[i], count,
            i == 0 || counts[i - 1] == 0 ? null : (double)count / counts[i - 1])).ToList();
        return new FunnelChart(funnel.ContentId, funnel.Title, steps, funnel.Revenue);
    }

    public double Height => Steps.Count * RowHeight;

    public bool IsEmpty => Steps.All(s => s.Count == 0);

    private long Max => Steps.Max(s => s.Count);

    /// <summary>A step's bar length: log(1 + n) of log(1 + the largest), at least a sliver for anything above 0.</summary>
    public double Length(FunnelStep step) =>
        step.Count == 0 ? 0 : Math.Max(3, Width * Math.Log10(1 + step.Count) / Math.Log10(1 + Max));

    public string X(FunnelStep step) => CampaignDisplay.Attribute((Width - Length(step)) / 2);

    public string BarLength(FunnelStep step) => CampaignDisplay.Attribute(Length(step));

    public static double Top(int row) => row * RowHeight;
}
