using Ambassadors.Data;
using Ambassadors.Web.Http;

namespace Ambassadors.Tests.Http;

public class JsonInputTests
{
    [Theory]
    [InlineData("12.50", "12.5")]
    [InlineData("1e3", "1000")]
    [InlineData("1E+3", "1000")]
    [InlineData("15e-1", "1.5")]
    [InlineData("-0.5e1", "-5")]
    [InlineData("0", "0")]
    [InlineData("0.0000", "0")]
    [InlineData("1e-28", "0.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void NumbersAreReadExactlyInEveryNotation(string text, string expected)
    {
        Assert.True(JsonInput.TryParseExact(text, out var value, out var problem), problem);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1e-30", "has 30 decimals")]
    [InlineData("0.00000000000000000000000000001", "has 29 decimals")]
    [InlineData("1e400", "is too large")]
    [InlineData("79228162514264337593543950336", "is too large")]
    [InlineData("1e-99999999999999999999", "more decimals")]
    [InlineData("+5", "is not a number")]
    [InlineData("1.", "is not a number")]
    [InlineData("01", "is not a number")]
    public void NumbersThatADecimalCannotHoldExactlyAreRefused(string text, string why)
    {
        Assert.False(JsonInput.TryParseExact(text, out _, out var problem));
        Assert.Contains(why, problem);
    }

    [Theory]
    [InlineData("2000-01-01", true)]
    [InlineData("2100-12-31", true)]
    [InlineData(" 2026-05-31 ", true)]
    [InlineData("1999-12-31", false)]
    [InlineData("2101-01-01", false)]
    [InlineData("9999-12-31", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("2026-02-30", false)]
    [InlineData("31/05/2026", false)]
    public void DatesAreReadWithinTheCalendarsEdges(string text, bool readable) =>
        Assert.Equal(readable, IsoDates.TryParse(text, out _));

    [Theory]
    [InlineData("$.capacity", "capacity")]
    [InlineData("$.rewards.perSale", "rewards.perSale")]
    [InlineData("$.socialProfiles[0].followers", "socialProfiles[0].followers")]
    [InlineData("$['odd.name']", "odd.name")]
    [InlineData("$", null)]
    public void AJsonPathBecomesTheFieldNameTheClientSent(string path, string? field) =>
        Assert.Equal(field, JsonInput.FieldName(path));
}
