using System.Globalization;
using Ambassadors.Data;

namespace Ambassadors.Tests.Conversions;

/// <summary>ISO 4217 codes and minor units: which codes exist, how amounts round and how they are written back.</summary>
public class CurrenciesTests
{
    [Theory]
    [InlineData("EUR", true)]
    [InlineData("JPY", true)]
    [InlineData("BHD", true)]
    [InlineData("eur", false)] // codes are written in upper case
    [InlineData("XXX", false)] // "no currency" is not one to pay in
    [InlineData("EURO", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void OnlyActiveCodesInUpperCaseAreKnown(string? code, bool known) => Assert.Equal(known, Currencies.IsKnown(code));

    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KWD", 3)]
    public void EachCurrencyHasItsMinorUnits(string code, int decimals) => Assert.Equal(decimals, Currencies.DecimalsOf(code));

    [Fact]
    public void AnUnknownCodeIsRefusedByName()
    {
        var refused = Assert.Throws<ArgumentException>(() => Currencies.DecimalsOf("ABC"));
        Assert.StartsWith("'ABC' is not an ISO 4217 currency code.", refused.Message);
        Assert.Equal("code", refused.ParamName);
    }

    [Theory]
    [InlineData("10", "EUR", true)]
    [InlineData("10.5", "EUR", true)]
    [InlineData("10.25", "EUR", true)]
    [InlineData("10.250", "EUR", true)]   // a trailing zero is not a third decimal
    [InlineData("10.255", "EUR", false)]
    [InlineData("1.005", "EUR", false)]
    [InlineData("100", "JPY", true)]
    [InlineData("100.5", "JPY", false)]
    [InlineData("1.005", "BHD", true)]
    [InlineData("1.0005", "BHD", false)]
    public void AnAmountFitsWhenItHasNoMoreDecimalsThanTheCurrency(string amount, string currency, bool fits) =>
        Assert.Equal(fits, Currencies.FitsMinorUnit(decimal.Parse(amount, CultureInfo.InvariantCulture), currency));

    [Theory]
    [InlineData("0.125", "EUR", "0.13")]   // half away from zero, not to even
    [InlineData("0.135", "EUR", "0.14")]
    [InlineData("-0.125", "EUR", "-0.13")]
    [InlineData("2.5", "JPY", "3")]
    [InlineData("0.0005", "BHD", "0.001")]
    public void RoundingIsHalfAwayFromZero(string amount, string currency, string expected) =>
        Assert.Equal(expected, Currencies.Round(decimal.Parse(amount, CultureInfo.InvariantCulture), currency).ToString(CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("5", "EUR", "5.00")]
    [InlineData("0", "EUR", "0.00")]
    [InlineData("-3", "EUR", "-3.00")]
    [InlineData("12.345", "EUR", "12.35")]
    [InlineData("7", "JPY", "7")]
    [InlineData("1.5", "KWD", "1.500")]
    public void AmountsAreWrittenWithExactlyTheCurrencysDecimals(string amount, string currency, string expected) =>
        Assert.Equal(expected, Currencies.WithMinorUnits(decimal.Parse(amount, CultureInfo.InvariantCulture), currency).ToString(CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("59.99", "EUR", 5999)]
    [InlineData("0.01", "EUR", 1)]
    [InlineData("1000", "JPY", 1000)]
    [InlineData("1.234", "KWD", 1234)]
    [InlineData("-0.5", "EUR", -50)]
    public void MinorUnitsAreTenToThePowerOfTheDecimals(string amount, string currency, long minor)
    {
        Assert.Equal(minor, Currencies.ToMinor(decimal.Parse(amount, CultureInfo.InvariantCulture), currency));
        Assert.Equal(decimal.Parse(amount, CultureInfo.InvariantCulture), Currencies.FromMinor(minor, currency));
    }
}
