namespace Ambassadors.Web.Portal.Pages;

/// <summary>The words of /portal/stats and /portal/stats/{campaignId}: StatsTexts.resx (English) and StatsTexts.nl.resx (Dutch).</summary>
public sealed class StatsTexts;
