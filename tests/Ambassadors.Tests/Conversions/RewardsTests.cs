using Ambassadors.Data;

namespace Ambassadors.Tests.Conversions;

/// <summary>The campaign's reward rules in minor units: per lead, per sale plus a percentage, and the referrer's override.</summary>
public class RewardsTests
{
    private static Campaign Campaign(string currency = "EUR", decimal? perLead = null, decimal? perSale = null, decimal? salePercent = null,
        decimal? secondDegreePercent = null) => new()
    {
        Id = "cmp_rewards", Name = "Rewards", DestinationUrl = "https://shop.example/", Currency = currency,
        RewardPerLead = perLead, RewardPerSale = perSale, RewardSalePercent = salePercent, RewardSecondDegreePercent = secondDegreePercent,
    };

    [Fact]
    public void ALeadEarnsPerLeadWhateverItsAmount()
    {
        var campaign = Campaign(perLead: 2.5m, perSale: 10, salePercent: 5);
        Assert.Equal(250, Rewards.FirstDegree(campaign, ConversionKind.Lead, null));
        Assert.Equal(250, Rewards.FirstDegree(campaign, ConversionKind.Lead, 1000m));
        Assert.Equal(0, Rewards.FirstDegree(Campaign(perSale: 10), ConversionKind.Lead, null)); // no per-lead reward set
    }

    [Fact]
    public void ASaleEarnsPerSalePlusThePercentageOfItsAmountRoundedOnce()
    {
        Assert.Equal(1300, Rewards.FirstDegree(Campaign(perLead: 2, perSale: 10, salePercent: 5), ConversionKind.Sale, 59.99m)); // 12.9995
        Assert.Equal(1000, Rewards.FirstDegree(Campaign(perSale: 10), ConversionKind.Sale, 59.99m));                 // no percentage
        Assert.Equal(300, Rewards.FirstDegree(Campaign(salePercent: 5), ConversionKind.Sale, 60m));                   // no fixed part
        Assert.Equal(1000, Rewards.FirstDegree(Campaign(perSale: 10, salePercent: 5), ConversionKind.Sale, null));    // no amount
        Assert.Equal(33, Rewards.FirstDegree(Campaign("JPY", salePercent: 3.3m), ConversionKind.Sale, 999m));        // 32.967 yen
        Assert.Equal(250, Rewards.FirstDegree(Campaign("BHD", salePercent: 2.5m), ConversionKind.Sale, 10.005m));    // 0.250125 dinar
    }

    [Theory]
    [InlineData(1500, 10, 150)]
    [InlineData(1235, 10, 124)]   // 123.5 rounds away from zero
    [InlineData(1234, 10, 123)]
    [InlineData(-1235, 10, -124)] // a negative reward's override mirrors it
    [InlineData(999, 50, 500)]
    [InlineData(1000, 0, 0)]
    public void TheOverrideIsAPercentageOfTheRoundedReward(long firstDegree, int percent, long expected) =>
        Assert.Equal(expected, Rewards.SecondDegree(Campaign(secondDegreePercent: percent), firstDegree));

    [Fact]
    public void NoOverrideWithoutAPercentageOrWithoutAReward()
    {
        Assert.Equal(0, Rewards.SecondDegree(Campaign(), 1500));
        Assert.Equal(0, Rewards.SecondDegree(Campaign(secondDegreePercent: -10), 1500));
        Assert.Equal(0, Rewards.SecondDegree(Campaign(secondDegreePercent: 10), 0));
    }

    [Fact]
    public void MinorUnitsAreTheCurrencysOwn()
    {
        Assert.Equal(1235, Rewards.ToMinor(12.345m, "EUR"));
        Assert.Equal("12.35", Rewards.FromMinor(1235, "EUR").ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1235", Rewards.FromMinor(1235, "JPY").ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
