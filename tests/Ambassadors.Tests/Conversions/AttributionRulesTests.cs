using Ambassadors.Data;
using Ambassadors.Web.Conversions;

namespace Ambassadors.Tests.Conversions;

/// <summary>The campaign's dates and the conversion's time, as a merchant and an ambassador read them in the answers.</summary>
public class AttributionRulesTests
{
    private static Campaign Campaign(string? startsOn, string? endsOn) => new()
    {
        Id = "cmp_dates", Name = "Dates", DestinationUrl = "https://shop.example/", Currency = "EUR",
        StartsOn = startsOn is null ? null : DateOnly.Parse(startsOn), EndsOn = endsOn is null ? null : DateOnly.Parse(endsOn),
    };

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-01T00:00:00Z")]         // the first second of startsOn
    [InlineData("2026-11-15T12:00:00Z")]
    [InlineData("2026-11-30T23:59:59.999Z")]     // the last moment of endsOn
    [InlineData("2026-12-01T00:30:00+01:00")]    // still Nov 30 in UTC
    public void InsideTheCampaignsDatesItEarns(string at)
    {
        var campaign = Campaign("2026-11-01", "2026-11-30");
        Assert.Null(CampaignLifecycle.WhyNoRewardForCode(campaign, At(at)));
        Assert.Null(CampaignLifecycle.WhyNoRewardForClick(campaign, At(at)));
    }

    [Theory]
    [InlineData("2026-10-31T23:59:59Z", "the campaign starts on 2026-11-01; {0} 2026-10-31")]
    [InlineData("2026-11-01T00:30:00+01:00", "the campaign starts on 2026-11-01; {0} 2026-10-31")] // Oct 31 in UTC
    [InlineData("2026-12-01T00:00:00Z", "the campaign ended on 2026-11-30; {0} 2026-12-01")]
    [InlineData("2027-03-01T10:00:00Z", "the campaign ended on 2026-11-30; {0} 2027-03-01")]
    public void OutsideTheCampaignsDatesItSaysWhy(string at, string note)
    {
        var campaign = Campaign("2026-11-01", "2026-11-30");
        Assert.Equal(string.Format(note, "the conversion happened on"), CampaignLifecycle.WhyNoRewardForCode(campaign, At(at)));
        Assert.Equal(string.Format(note, "the click was on"), CampaignLifecycle.WhyNoRewardForClick(campaign, At(at)));
    }

    [Fact]
    public void AnOpenEndIsOpen()
    {
        Assert.Null(CampaignLifecycle.WhyNoRewardForCode(Campaign(null, null), At("2000-01-01T00:00:00Z")));
        Assert.Null(CampaignLifecycle.WhyNoRewardForCode(Campaign(null, "2026-11-30"), At("2001-01-01T00:00:00Z")));
        Assert.Null(CampaignLifecycle.WhyNoRewardForCode(Campaign("2026-11-01", null), At("2099-01-01T00:00:00Z")));
        Assert.Equal("the campaign ended on 2026-11-30; the conversion happened on 2026-12-01",
            CampaignLifecycle.WhyNoRewardForCode(Campaign(null, "2026-11-30"), At("2026-12-01T00:00:00Z")));
        Assert.Equal("the campaign starts on 2026-11-01; the click was on 2026-10-31",
            CampaignLifecycle.WhyNoRewardForClick(Campaign("2026-11-01", null), At("2026-10-31T23:59:59Z")));
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-11-30T10:00:00Z", "2026-11-30T10:00:00+00:00")]
    [InlineData("2026-11-30t10:00:00z", "2026-11-30T10:00:00+00:00")]
    [InlineData("2026-11-30T11:00:00+01:00", "2026-11-30T10:00:00+00:00")]
    [InlineData("2026-11-30T05:00:00-05:00", "2026-11-30T10:00:00+00:00")]
    [InlineData("2026-11-30T10:00Z", "2026-11-30T10:00:00+00:00")]
    [InlineData("2026-11-30T10:00:00.1234567Z", "2026-11-30T10:00:00.1234567+00:00")]
    [InlineData("2026-11-30T12:05:00Z", "2026-11-30T12:05:00+00:00")]  // a merchant's clock up to 5 minutes ahead
    [InlineData("2025-11-29T12:00:00Z", "2025-11-29T12:00:00+00:00")]  // 366 days ago
    public void AnInstantWithItsOffsetIsRead(string text, string instant)
    {
        Assert.Null(OccurredAt.Problem(text, Now, out var at));
        Assert.Equal(At(instant), at);
    }

    [Theory]
    [InlineData("2026-11-30T10:00:00", "'occurredAt' ('2026-11-30T10:00:00') has no time-zone offset; add Z for UTC or the offset, as in 2026-11-01T10:00:00+01:00.")]
    [InlineData("2026-11-30T10:00", "'occurredAt' ('2026-11-30T10:00') has no time-zone offset; add Z for UTC or the offset, as in 2026-11-01T10:00:00+01:00.")]
    [InlineData("2026-11-30", "'occurredAt' ('2026-11-30') is not a date and time; write it as in 2026-11-01T10:00:00Z.")]
    [InlineData("2026-11-30 10:00:00Z", "'occurredAt' ('2026-11-30 10:00:00Z') is not a date and time; write it as in 2026-11-01T10:00:00Z.")]
    [InlineData("11/30/2026 10:00 +01:00", "'occurredAt' ('11/30/2026 10:00 +01:00') is not a date and time; write it as in 2026-11-01T10:00:00Z.")]
    [InlineData("2026-11-30T10:00:00+0100", "'occurredAt' ('2026-11-30T10:00:00+0100') is not a date and time; write it as in 2026-11-01T10:00:00Z.")]
    [InlineData(" 2026-11-30T10:00:00Z", "'occurredAt' (' 2026-11-30T10:00:00Z') is not a date and time; write it as in 2026-11-01T10:00:00Z.")]
    [InlineData("2026-11-30T10:00:00Z\n", "'occurredAt' ('2026-11-30T10:00:00Z\n') is not a date and time; write it as in 2026-11-01T10:00:00Z.")]
    [InlineData("2026-02-30T10:00:00Z", "'occurredAt' ('2026-02-30T10:00:00Z') is not a date and time that exists.")]
    [InlineData("2026-11-30T25:00:00Z", "'occurredAt' ('2026-11-30T25:00:00Z') is not a date and time that exists.")]
    [InlineData("2026-11-30T12:05:01Z", "'occurredAt' ('2026-11-30T12:05:01Z') is in the future.")]          // beyond the 5 minutes' skew
    [InlineData("2026-11-30T14:00:00+01:00", "'occurredAt' ('2026-11-30T14:00:00+01:00') is in the future.")]
    [InlineData("2025-11-29T11:59:59Z", "'occurredAt' ('2025-11-29T11:59:59Z') is more than a year ago.")]
    public void AnythingElseIsRefusedInPlainWords(string text, string problem) =>
        Assert.Equal(problem, OccurredAt.Problem(text, Now, out _));
}
