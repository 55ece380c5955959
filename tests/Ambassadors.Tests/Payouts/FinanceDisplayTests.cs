using Ambassadors.Web.Payouts;

namespace Ambassadors.Tests.Payouts;

public sealed class FinanceDisplayTests
{
    [Theory]
    [InlineData(1, "line", "1 line")]
    [InlineData(3, "line", "3 lines")]
    [InlineData(0, "payee", "0 payees")]
    [InlineData(2, "reward", "2 rewards")]
    public void CountsReadAsWords(int count, string noun, string expected) => Assert.Equal(expected, FinanceDisplay.Count(count, noun));

    [Fact]
    public void TimesReadAsHowLongAgo()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("2 hours ago", FinanceDisplay.Ago(now.AddHours(-2), now));
        Assert.Equal("yesterday", FinanceDisplay.Ago(now.AddDays(-1), now));
        Assert.Equal("3 days ago", FinanceDisplay.Ago(now.AddDays(-3), now));
    }
}
