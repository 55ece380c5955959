
namespace Ambassadors.Data;

/// <summary>Money as integer minor units of an ISO 4217 currency, and the campaign's reward rules.</summary>
public static class Rewards
{
    public static long ToMinor(decimal amount, string currency) => Currencies.ToMinor(amount, currency);

    public static decimal FromMinor(long minor, string currency) => Currencies.FromMinor(minor, currency);

    /// <summary>The first-degree reward: perLead for a lead; perSale plus salePercent of the amount for a sale. Rounded once.</summary>
    public static long FirstDegree(Campaign campaign, ConversionKind kind, decimal? amount)
    {
        var reward = kind == ConversionKind.Lead
            ? campaign.RewardPerLead ?? 0
            : (campaign.RewardPerSale ?? 0) + (amount ?? 0) * (campaign.RewardSalePercent ?? 0) / 100m;
        return ToMinor(reward, campaign.Currency);
    }

    /// <summary>The referrer's override: secondDegreePercent of the (already rounded) first-degree reward, rounded once.</summary>
    public static long SecondDegree(Campaign campaign, long firstDegreeMinor) =>
        campaign.RewardSecondDegreePercent is { } percent and > 0
            ? (long)Math.Round(firstDegreeMinor * percent / 100m, MidpointRounding.AwayFromZero)
            : 0;
}
