using Ambassadors.Data;

namespace Ambassadors.Web.Conversions;

/// <summary>
/// Whether an attributed conversion earns, by the campaign's dates (startsOn..endsOn, both inclusive, UTC dates; an open
/// end is open). A conversion attributed by a click earns when the click was made while the campaign ran (the attribution
/// window may end after endsOn); one attributed by a referral code alone earns when it happened while the campaign ran.
/// Each rule answers null when the conversion earns, otherwise why not, in the words the API's rewardNote uses.
/// </summary>
public static class CampaignLifecycle
{
    public static string? WhyNoRewardForClick(Campaign campaign, DateTimeOffset clickAt) =>
        Outside(campaign, clickAt, "the click was on");

    public static string? WhyNoRewardForCode(Campaign campaign, DateTimeOffset occurredAt) =>
        Outside(campaign, occurredAt, "the conversion happened on");

    /// <summary>
    /// A member a manager removed earns nothing for what happens from the removal on (their links still redirect and count
    /// clicks); null when they are still a member or the conversion happened before.
    /// </summary>
    public static string? WhyNoRewardAfterRemoval(DateTimeOffset? removedAt, DateTimeOffset occurredAt) =>
        removedAt is { } removed && occurredAt >= removed
            ? $"the ambassador was removed from the campaign on {Day(DateOnly.FromDateTime(removed.UtcDateTime))}; the conversion happened on {Day(DateOnly.FromDateTime(occurredAt.UtcDateTime))}"
            : null;

    private static string? Outside(Campaign campaign, DateTimeOffset at, string happened)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        if (campaign.StartsOn is { } startsOn && day < startsOn)
        {
            return $"the campaign starts on {Day(startsOn)}; {happened} {Day(day)}";
        }
        if (campaign.EndsOn is { } endsOn && day > endsOn)
        {
            return $"the campaign ended on {Day(endsOn)}; {happened} {Day(day)}";
        }
        return null;
    }

    private static string Day(DateOnly day) => IsoDates.Write(day);
}
