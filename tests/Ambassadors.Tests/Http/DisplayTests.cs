using System.Globalization;
using Ambassadors.Web.Http.Pages;
using Ambassadors.Web.Payouts.Pages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ambassadors.Tests.Http;

/// <summary>How the pages write counts, large numbers, money, dates and times, in English and in Dutch.</summary>
public sealed class DisplayTests
{
    private static readonly IStringLocalizer Finance =
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance)
            .Create(typeof(FinanceTexts));

    /// <summary>Runs <paramref name="write"/> as a page in <paramref name="language"/> would.</summary>
    private static string In(string language, Func<string> write)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            return write();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }

    [Theory]
    [InlineData("en", 1, "Count.Line", "1 line")]
    [InlineData("en", 3, "Count.Line", "3 lines")]
    [InlineData("en", 0, "Count.Reward", "0 rewards")]
    [InlineData("en", 1234, "Count.Reward", "1,234 rewards")]
    [InlineData("nl", 1, "Count.Line", "1 regel")]
    [InlineData("nl", 3, "Count.Line", "3 regels")]
    [InlineData("nl", 0, "Count.Reward", "0 beloningen")]
    [InlineData("nl", 1234, "Count.Reward", "1.234 beloningen")]
    public void CountsTakeTheirLanguagesPlural(string language, long count, string key, string expected) =>
        Assert.Equal(expected, In(language, () => Display.Count(Finance, key, count)));

    [Theory]
    [InlineData("en", 950, "950")]
    [InlineData("en", 1_200, "1.2 thousand")]
    [InlineData("en", 12_345, "12.3 thousand")]
    [InlineData("en", 3_400_000, "3.4 million")]
    [InlineData("en", 2_000_000_000, "2 billion")]
    [InlineData("nl", 950, "950")]
    [InlineData("nl", 1_200, "1,2 duizend")]
    [InlineData("nl", 12_345, "12,3 duizend")]
    [InlineData("nl", 3_400_000, "3,4 miljoen")]
    [InlineData("nl", 2_000_000_000, "2 miljard")]
    [InlineData("nl", -1_500, "-1,5 duizend")]
    public void LargeNumbersReadAsShortWords(string language, long value, string expected) =>
        Assert.Equal(expected, In(language, () => Display.Compact(value)));

    [Theory]
    [InlineData("en", -2, "2 hours ago")]
    [InlineData("nl", -2, "2 uur geleden")]
    [InlineData("en", -24, "yesterday")]
    [InlineData("nl", -24, "gisteren")]
    [InlineData("en", -72, "3 days ago")]
    [InlineData("nl", -72, "3 dagen geleden")]
    public void TimesReadAsHowLongAgo(string language, int hours, string expected)
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, In(language, () => Display.Ago(now.AddHours(hours), now)));
    }

    [Theory]
    [InlineData("en", "1,234.50 EUR", "30 Nov 2026", "30 Nov 2026 14:05 UTC", "42.5%")]
    [InlineData("nl", "1.234,50 EUR", "30 nov 2026", "30 nov 2026 14:05 UTC", "42,5%")]
    public void MoneyDatesAndPercentagesFollowTheCulture(string language, string money, string date, string time, string percent)
    {
        Assert.Equal(money, In(language, () => Display.Money(1234.5m, "EUR")));
        Assert.Equal(date, In(language, () => Display.Date(new DateOnly(2026, 11, 30))));
        Assert.Equal(time, In(language, () => Display.Time(new DateTimeOffset(2026, 11, 30, 14, 5, 0, TimeSpan.Zero))));
        Assert.Equal(percent, In(language, () => Display.Percent(0.425)));
    }

    [Theory]
    [InlineData("en", "nothing", "12.50 EUR, 1,000 JPY")]
    [InlineData("nl", "niets", "12,50 EUR, 1.000 JPY")]
    public void AmountsInSeveralCurrenciesAreOneList(string language, string none, string two)
    {
        Assert.Equal(none, In(language, () => Display.Money([])));
        Assert.Equal(two, In(language, () => Display.Money([(12.5m, "EUR"), (1000m, "JPY")])));
    }
}
