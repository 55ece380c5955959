using System.Globalization;
using Ambassadors.Data;

namespace Ambassadors.Tests.Http;

/// <summary>Country names follow the page's language, whichever language asked first.</summary>
public class CountryNamesTests
{
    [Fact]
    public void ACountryIsNamedInThePagesLanguageWhateverLanguageAskedFirst()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("nl");
            Assert.Equal("België", Countries.Name("BE"));
            Assert.Equal("Duitsland", Countries.Name("DE"));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal("Belgium", Countries.Name("BE"));
            Assert.Equal("Germany", Countries.Name("DE"));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("nl");
            Assert.Equal("Verenigde Staten", Countries.Name("US"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData("nl", "NL")]
    [InlineData(" be ", "BE")]
    public void ACodeIsReadInAnyCase(string text, string code)
    {
        Assert.True(Countries.TryNormalize(text, out var normalized));
        Assert.Equal(code, normalized);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("NLD")]
    [InlineData("")]
    [InlineData(null)]
    public void AnythingElseIsNotACountry(string? text) => Assert.False(Countries.TryNormalize(text, out _));
}
