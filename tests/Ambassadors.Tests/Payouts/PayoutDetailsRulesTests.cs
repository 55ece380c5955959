using Ambassadors.Data;
using Ambassadors.Payouts;

namespace Ambassadors.Tests.Payouts;

/// <summary>What finance is told about payout details, word for word: IBANs, BICs, countries, PayPal, tax ids.</summary>
public class PayoutDetailsRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private const string NotAlphanumeric = "An IBAN has only letters and digits (spaces are allowed between groups).";
    private const string BadPrefix = "An IBAN starts with a two-letter country code and two check digits.";
    private const string BadCheckDigits = "The IBAN's check digits do not match: a character is probably mistyped.";
    private const string BadBicShape = "A BIC has 8 or 11 characters: 4 letters for the bank, 2 for the country, then 2 (and optionally 3) letters or digits.";

    [Theory]
    [InlineData("NL91ABNA0417164300", "NL91ABNA0417164300")]
    [InlineData("nl91 abna 0417 1643 00", "NL91ABNA0417164300")]     // typed in groups, lower case
    [InlineData("NL91\u00A0ABNA\u00A00417\u00A01643\u00A000", "NL91ABNA0417164300")] // pasted with no-break spaces
    [InlineData("DE89 3704 0044 0532 0130 00", "DE89370400440532013000")]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606")] // a letter inside the account number
    [InlineData("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432")]
    [InlineData("BE68 5390 0754 7034", "BE68539007547034")]
    [InlineData("NO93 8601 1117 947", "NO9386011117947")]
    public void AValidIbanIsStoredWithoutSpacesInUpperCase(string typed, string stored)
    {
        Assert.Equal(stored, PayoutDetailsRules.NormalizeIban(typed, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("NL91-ABNA-0417-1643-00", NotAlphanumeric)]
    [InlineData("NL91ABNA0417164300.", NotAlphanumeric)]
    [InlineData("NL91\tABNA0417164300", NotAlphanumeric)]   // a tab is not a space between groups
    [InlineData("NL91ÄBNA0417164300", NotAlphanumeric)]     // letters are ASCII letters
    [InlineData("NL91ABNA04171643٠٠", NotAlphanumeric)]     // and digits ASCII digits
    [InlineData("", BadPrefix)]
    [InlineData("NL9", BadPrefix)]
    [InlineData("1L91ABNA0417164300", BadPrefix)]           // the country's first letter is a digit
    [InlineData("N191ABNA0417164300", BadPrefix)]           // its second
    [InlineData("NLX1ABNA0417164300", BadPrefix)]           // a letter in the first check digit
    [InlineData("NL9XABNA0417164300", BadPrefix)]           // in the second
    [InlineData("NL91", "An IBAN from NL has 18 characters; this one has 4.")]
    [InlineData("NL91ABNA04171643", "An IBAN from NL has 18 characters; this one has 16.")]
    [InlineData("NL91ABNA041716430000", "An IBAN from NL has 18 characters; this one has 20.")]
    [InlineData("US91ABNA0417164300", "'US' does not issue IBANs.")]
    [InlineData("NL91ABNA0417164301", BadCheckDigits)]
    [InlineData("NL19ABNA0417164300", BadCheckDigits)]        // two digits swapped
    [InlineData("FR1420041010050500013N02606", BadCheckDigits)] // a letter mistyped
    [InlineData("GB82WEST12345698765433", BadCheckDigits)]
    public void AnInvalidIbanIsRefusedWithTheReason(string typed, string reason)
    {
        Assert.Null(PayoutDetailsRules.NormalizeIban(typed, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("ABNANL2A", "ABNANL2A")]
    [InlineData("abnanl2a", "ABNANL2A")]
    [InlineData("ABNA NL 2A", "ABNANL2A")]           // typed with spaces
    [InlineData("DEUTDEFF500", "DEUTDEFF500")]       // with a branch
    [InlineData("deut de ff 500", "DEUTDEFF500")]
    public void AValidBicIsStoredWithoutSpacesInUpperCase(string typed, string stored)
    {
        Assert.Equal(stored, PayoutDetailsRules.NormalizeBic(typed, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("ABN", BadBicShape)]
    [InlineData("ABNANL2", BadBicShape)]             // 7
    [InlineData("ABNANL2AB", BadBicShape)]           // 9
    [InlineData("ABNANL2AXY", BadBicShape)]          // 10
    [InlineData("ABNANL2AXYZW", BadBicShape)]        // 12
    [InlineData("AB1ANL2A", BadBicShape)]            // a digit in the bank code
    [InlineData("ABNAN12A", BadBicShape)]            // a digit in the country
    [InlineData("ABNANL2-", BadBicShape)]            // not a letter or digit in the location
    [InlineData("DEUTDEFF50-", BadBicShape)]         // nor in the branch
    [InlineData("ABNAXX2A", "'XX' in the BIC is not a country code.")]
    [InlineData("abnaxx2a", "'XX' in the BIC is not a country code.")]
    public void AnInvalidBicIsRefusedWithTheReason(string typed, string reason)
    {
        Assert.Null(PayoutDetailsRules.NormalizeBic(typed, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("NL", true)]
    [InlineData("FR", true)]
    [InlineData("XK", false)] // issues IBANs, but is not an officially assigned ISO 3166 code
    [InlineData("XY", false)]
    [InlineData("nl", false)]
    [InlineData(null, false)]
    public void CountriesAreOfficialIso3166Codes(string? code, bool known) => Assert.Equal(known, PayoutDetailsRules.IsCountry(code));

    private static (PayoutDetails? Details, Dictionary<string, string[]> Errors) Validate(string? method = "bank", string? legalName = "Anna de Vries",
        string? country = "NL", string? iban = null, string? bic = null, string? paypalEmail = null, string? taxId = null) =>
        PayoutDetailsRules.Validate("amb_anna", new PayoutDetailsInput(method, legalName, country, iban, bic, paypalEmail, taxId), Now, "Finance Person");

    /// <summary>The one error of the one field, word for word, and nothing stored.</summary>
    private static void AssertRefused(string field, string message, (PayoutDetails? Details, Dictionary<string, string[]> Errors) result)
    {
        Assert.Null(result.Details);
        Assert.Equal([field], result.Errors.Keys);
        Assert.Equal([message], result.Errors[field]);
    }

    [Fact]
    public void BankDetailsAreStoredCleanedUp()
    {
        var (details, errors) = Validate(legalName: "  Anna de Vries ", country: " nl ", iban: "nl91 abna 0417 1643 00", bic: "abna nl 2a", taxId: " NL123 ");

        Assert.Empty(errors);
        Assert.NotNull(details);
        Assert.Equal("amb_anna", details.AmbassadorId);
        Assert.Equal(PayoutMethod.Bank, details.Method);
        Assert.Equal("Anna de Vries", details.LegalName);
        Assert.Equal("NL", details.Country);
        Assert.Equal("NL91ABNA0417164300", details.Iban);
        Assert.Equal("ABNANL2A", details.Bic);
        Assert.Null(details.PaypalEmail);
        Assert.Equal("NL123", details.TaxId);
        Assert.Equal(Now, details.UpdatedAt);
        Assert.Equal("Finance Person", details.UpdatedBy);
    }

    [Fact]
    public void PaypalDetailsAreStoredCleanedUp()
    {
        var (details, errors) = Validate(method: "paypal", paypalEmail: " anna@example.com ", taxId: "   ");

        Assert.Empty(errors);
        Assert.NotNull(details);
        Assert.Equal(PayoutMethod.Paypal, details.Method);
        Assert.Equal("anna@example.com", details.PaypalEmail);
        Assert.Null(details.Iban);
        Assert.Null(details.Bic);
        Assert.Null(details.TaxId);
    }

    [Fact]
    public void TheMethodIsBankOrPaypal()
    {
        foreach (var method in new[] { "cash", "Bank", "", null })
        {
            AssertRefused("method", "'method' must be bank or paypal.", Validate(method: method));
        }
    }

    [Fact]
    public void TheLegalNameIsRequiredAndAtMost200Characters()
    {
        AssertRefused("legalName", "'legalName' is required: the name the account is held in.", Validate(legalName: null, iban: "NL91ABNA0417164300"));
        AssertRefused("legalName", "'legalName' is required: the name the account is held in.", Validate(legalName: "   ", iban: "NL91ABNA0417164300"));
        AssertRefused("legalName", "'legalName' has at most 200 characters.", Validate(legalName: new string('a', 201), iban: "NL91ABNA0417164300"));
        Assert.Equal(200, Validate(legalName: new string('a', 200), iban: "NL91ABNA0417164300").Details!.LegalName.Length);
    }

    [Fact]
    public void TheCountryIsAnIso3166CodeAsSent()
    {
        AssertRefused("country", "'country' is required (ISO 3166 alpha-2, e.g. NL).", Validate(method: "paypal", country: null, paypalEmail: "a@example.com"));
        AssertRefused("country", "'country' is required (ISO 3166 alpha-2, e.g. NL).", Validate(method: "paypal", country: "  ", paypalEmail: "a@example.com"));
        AssertRefused("country", "'Nederland' is not an ISO 3166 alpha-2 country code (e.g. NL, DE, US).",
            Validate(method: "paypal", country: "Nederland", paypalEmail: "a@example.com"));
        // A long value is shown cut at 40 characters.
        AssertRefused("country", $"'{new string('x', 40)}…' is not an ISO 3166 alpha-2 country code (e.g. NL, DE, US).",
            Validate(method: "paypal", country: new string('x', 41), paypalEmail: "a@example.com"));
        AssertRefused("country", $"'{new string('x', 40)}' is not an ISO 3166 alpha-2 country code (e.g. NL, DE, US).",
            Validate(method: "paypal", country: new string('x', 40), paypalEmail: "a@example.com"));
    }

    [Fact]
    public void ABankPayoutNeedsAValidIbanOfThePayeesCountry()
    {
        AssertRefused("iban", "'iban' is required for method bank.", Validate(iban: null));
        AssertRefused("iban", "'iban' is required for method bank.", Validate(iban: "  "));
        AssertRefused("iban", "'iban' is too long to be an IBAN.", Validate(iban: "NL91ABNA0417164300" + new string(' ', 47)));
        // 64 characters are still read (spaces between groups), then judged as an IBAN.
        Assert.Equal("NL91ABNA0417164300", Validate(iban: "NL91ABNA0417164300" + new string(' ', 46)).Details!.Iban);
        AssertRefused("iban", BadCheckDigits, Validate(iban: "NL91ABNA0417164301"));
        AssertRefused("iban", "The IBAN is from NL but the country is FR: an IBAN's country code must be the payee's country.",
            Validate(country: "FR", iban: "NL91 ABNA 0417 1643 00"));
        AssertRefused("iban", "The IBAN is from FR but the country is NL: an IBAN's country code must be the payee's country.",
            Validate(country: "NL", iban: "FR1420041010050500013M02606"));
        Assert.Equal("FR1420041010050500013M02606", Validate(country: "fr", iban: "FR1420041010050500013M02606").Details!.Iban);
        // With a country that is not one, only the country is wrong.
        AssertRefused("country", "'QQ' is not an ISO 3166 alpha-2 country code (e.g. NL, DE, US).", Validate(country: "QQ", iban: "NL91ABNA0417164300"));
    }

    [Fact]
    public void ABicIsOptionalForABankPayoutButMustBeOne()
    {
        Assert.Null(Validate(iban: "NL91ABNA0417164300", bic: "  ").Details!.Bic);
        AssertRefused("bic", "'bic' is too long to be a BIC.", Validate(iban: "NL91ABNA0417164300", bic: "ABNANL2A" + new string(' ', 13)));
        Assert.Equal("ABNANL2A", Validate(iban: "NL91ABNA0417164300", bic: "ABNANL2A" + new string(' ', 12)).Details!.Bic);
        AssertRefused("bic", "'XX' in the BIC is not a country code.", Validate(iban: "NL91ABNA0417164300", bic: "ABNAXX2A"));
        AssertRefused("bic", BadBicShape, Validate(iban: "NL91ABNA0417164300", bic: "ABN"));
    }

    [Fact]
    public void EachMethodRefusesTheOthersFields()
    {
        AssertRefused("paypalEmail", "'paypalEmail' is for method paypal; leave it out for bank.",
            Validate(iban: "NL91ABNA0417164300", paypalEmail: "anna@example.com"));
        AssertRefused("iban", "'iban' is for method bank; leave it out for paypal.",
            Validate(method: "paypal", paypalEmail: "anna@example.com", iban: "NL91ABNA0417164300"));
        AssertRefused("bic", "'bic' is for method bank; leave it out for paypal.",
            Validate(method: "paypal", paypalEmail: "anna@example.com", bic: "ABNANL2A"));
        Assert.Empty(Validate(method: "paypal", paypalEmail: "anna@example.com", iban: " ", bic: " ").Errors);
        Assert.Empty(Validate(iban: "NL91ABNA0417164300", paypalEmail: " ").Errors);
    }

    [Fact]
    public void APaypalPayoutNeedsAnEmailAddress()
    {
        AssertRefused("paypalEmail", "'paypalEmail' is required for method paypal.", Validate(method: "paypal"));
        AssertRefused("paypalEmail", "'paypalEmail' is required for method paypal.", Validate(method: "paypal", paypalEmail: "   "));
        AssertRefused("paypalEmail", "'anna at example' is not an email address.", Validate(method: "paypal", paypalEmail: "anna at example"));
    }

    [Fact]
    public void ATaxIdHasAtMost50Characters()
    {
        AssertRefused("taxId", "'taxId' has at most 50 characters.", Validate(iban: "NL91ABNA0417164300", taxId: new string('1', 51)));
        Assert.Equal(50, Validate(iban: "NL91ABNA0417164300", taxId: new string('1', 50)).Details!.TaxId!.Length);
    }

    [Fact]
    public void EveryWrongFieldIsNamedAtOnce()
    {
        var (details, errors) = Validate(method: "bank", legalName: "", country: "XY", iban: "NL00", bic: "X", paypalEmail: "a@example.com", taxId: new string('1', 60));
        Assert.Null(details);
        Assert.Equal(["bic", "country", "iban", "legalName", "paypalEmail", "taxId"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("NL91ABNA0417164300", "NL91…4300")]
    [InlineData("NL91ABNA0", "NL91…BNA0")]
    [InlineData("NL91ABNA", "NL91ABNA")] // too short to hide anything
    public void AnIbanIsMaskedToItsCountryCheckDigitsAndLastFour(string iban, string masked) =>
        Assert.Equal(masked, PayoutDetailsRules.MaskIban(iban));
}
