namespace Ambassadors.Web.Http;

/// <summary>Which of a campaign's pages is showing, for the row of tabs under its title (Http/Pages/_CampaignTabs.cshtml).</summary>
public sealed record CampaignTab(string CampaignId, string Current)
{
    public const string Overview = "overview";
    public const string Applications = "applications";
    public const string Content = "content";
    public const string Missions = "missions";
    public const string Feedback = "feedback";
    public const string Results = "results";

    /// <summary>Each tab and its path under /manage/campaigns/{id}.</summary>
    public static IReadOnlyList<(string Tab, string Path)> All { get; } =
    [
        (Overview, ""), (Applications, "/applications"), (Content, "/content"), (Missions, "/missions"), (Feedback, "/feedback"), (Results, "/results"),
    ];
}
