using Ambassadors.Data;
using System.Collections.Frozen;
using System.Text;

namespace Ambassadors.Payouts;

/// <summary>What makes payout details valid: ISO 3166 countries, IBANs (country length and mod-97), BICs, PayPal emails.</summary>
public static class PayoutDetailsRules
{
    // ISO 3166-1 alpha-2, officially assigned codes.
    private const string CountryCodes =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO " +
        "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE " +
        "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO " +
        "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW " +
        "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM " +
        "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

    // Country:length from the SWIFT IBAN registry; French overseas territories use France's format.
    private const string IbanLengths =
        "AD:24 AE:23 AL:28 AT:20 AZ:28 BA:20 BE:16 BG:22 BH:22 BI:27 BR:29 BY:28 CH:21 CR:22 CY:28 CZ:24 DE:22 DJ:27 " +
        "DK:18 DO:28 EE:20 EG:29 ES:24 FI:18 FK:18 FO:18 FR:27 GB:22 GE:22 GI:23 GL:18 GR:27 GT:28 HN:28 HR:21 HU:28 " +
        "IE:22 IL:23 IQ:23 IS:26 IT:27 JO:30 KW:30 KZ:20 LB:28 LC:32 LI:21 LT:20 LU:20 LV:21 LY:25 MC:27 MD:24 ME:22 " +
        "MK:19 MN:20 MR:27 MT:31 MU:30 NI:28 NL:18 NO:15 OM:23 PK:24 PL:28 PS:29 PT:25 QA:29 RO:24 RS:22 RU:33 SA:24 " +
        "SC:31 SD:18 SE:24 SI:19 SK:24 SM:27 SO:23 ST:25 SV:28 TL:23 TN:24 TR:26 UA:29 VA:22 VG:24 XK:20 YE:30 " +
        "GF:27 GP:27 MQ:27 RE:27 PF:27 TF:27 YT:27 NC:27 BL:27 MF:27 PM:27 WF:27";

    private static readonly FrozenSet<string> Countries =
        CountryCodes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> IbanLength = IbanLengths
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(entry => entry.Split(':'))
        .ToFrozenDictionary(parts => parts[0], parts => int.Parse(parts[1]), StringComparer.Ordinal);

    public static bool IsCountry(string? code) => code is not null && Countries.Contains(code);

    /// <summary>The IBAN without spaces, upper case; null when it is not one (the reason in <paramref name="error"/>).</summary>
    public static string? NormalizeIban(string text, out string? error)
    {
        var iban = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is ' ' or '\u00A0') continue;
            if (!char.IsAsciiLetterOrDigit(c))
            {
                error = "An IBAN has only letters and digits (spaces are allowed between groups).";
                return null;
            }
            iban.Append(char.ToUpperInvariant(c));
        }
        var value = iban.ToString();
        if (value.Length < 4 || !char.IsAsciiLetter(value[0]) || !char.IsAsciiLetter(value[1]) || !char.IsAsciiDigit(value[2]) || !char.IsAsciiDigit(value[3]))
        {
            error = "An IBAN starts with a two-letter country code and two check digits.";
            return null;
        }
        var country = value[..2];
        if (!IbanLength.TryGetValue(country, out var length))
        {
            error = $"'{country}' does not issue IBANs.";
            return null;
        }
        if (value.Length != length)
        {
            error = $"An IBAN from {country} has {length} characters; this one has {value.Length}.";
            return null;
        }
        if (Mod97(value) != 1)
        {
            error = "The IBAN's check digits do not match: a character is probably mistyped.";
            return null;
        }
        error = null;
        return value;
    }

    /// <summary>ISO 13616: the first four characters moved to the end, letters as 10–35, the number modulo 97.</summary>
    private static int Mod97(string iban)
    {
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }
        return remainder;
    }

    /// <summary>A BIC (ISO 9362): bank (4 letters), country (2 letters), location (2), optional branch (3).</summary>
    public static string? NormalizeBic(string text, out string? error)
    {
        var bic = text.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var shaped = bic.Length is 8 or 11
            && bic.AsSpan(0, 6).ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ") is false
            && bic.AsSpan(6).ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") is false;
        if (!shaped)
        {
            error = "A BIC has 8 or 11 characters: 4 letters for the bank, 2 for the country, then 2 (and optionally 3) letters or digits.";
            return null;
        }
        if (!IsCountry(bic.Substring(4, 2)))
        {
            error = $"'{bic.Substring(4, 2)}' in the BIC is not a country code.";
            return null;
        }
        error = null;
        return bic;
    }

    /// <summary>Checks every field; returns the details to store, or the errors by field.</summary>
    public static (PayoutDetails? Details, Dictionary<string, string[]> Errors) Validate(string ambassadorId, PayoutDetailsInput input,
        DateTimeOffset now, string actor)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);

        PayoutMethod? method = input.Method switch
        {
            "bank" => PayoutMethod.Bank,
            "paypal" => PayoutMethod.Paypal,
            _ => null,
        };
        if (method is null) Add("method", "'method' must be bank or paypal.");

        // Control characters are refused as sent, before trimming would hide a trailing one.
        foreach (var (field, text) in new[] { ("legalName", input.LegalName), ("country", input.Country), ("iban", input.Iban), ("bic", input.Bic),
                     ("paypalEmail", input.PaypalEmail), ("taxId", input.TaxId) })
        {
            if (text is not null && PlainText.HasControlCharacters(text)) Add(field, PlainText.Refusal(field));
        }
        var legalName = input.LegalName?.Trim();
        if (string.IsNullOrEmpty(legalName)) Add("legalName", "'legalName' is required: the name the account is held in.");
        else if (legalName.Length > 200) Add("legalName", "'legalName' has at most 200 characters.");

        var country = input.Country?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(country)) Add("country", "'country' is required (ISO 3166 alpha-2, e.g. NL).");
        else if (!IsCountry(country)) Add("country", $"'{Truncate(input.Country!)}' is not an ISO 3166 alpha-2 country code (e.g. NL, DE, US).");

        string? iban = null, bic = null, paypal = null;
        if (method == PayoutMethod.Bank)
        {
            if (string.IsNullOrWhiteSpace(input.Iban)) Add("iban", "'iban' is required for method bank.");
            else if (input.Iban.Length > 64) Add("iban", "'iban' is too long to be an IBAN.");
            else if ((iban = NormalizeIban(input.Iban, out var ibanError)) is null) Add("iban", ibanError!);
            else if (IsCountry(country) && iban[..2] != country)
            {
                Add("iban", $"The IBAN is from {iban[..2]} but the country is {country}: an IBAN's country code must be the payee's country.");
            }
            if (!string.IsNullOrWhiteSpace(input.Bic))
            {
                if (input.Bic.Length > 20) Add("bic", "'bic' is too long to be a BIC.");
                else if ((bic = NormalizeBic(input.Bic, out var bicError)) is null) Add("bic", bicError!);
            }
            if (!string.IsNullOrWhiteSpace(input.PaypalEmail)) Add("paypalEmail", "'paypalEmail' is for method paypal; leave it out for bank.");
        }
        else if (method == PayoutMethod.Paypal)
        {
            paypal = input.PaypalEmail?.Trim();
            if (string.IsNullOrEmpty(paypal)) Add("paypalEmail", "'paypalEmail' is required for method paypal.");
            else if (!EmailAddresses.IsValid(paypal)) Add("paypalEmail", $"'{Truncate(paypal)}' is not an email address.");
            if (!string.IsNullOrWhiteSpace(input.Iban)) Add("iban", "'iban' is for method bank; leave it out for paypal.");
            if (!string.IsNullOrWhiteSpace(input.Bic)) Add("bic", "'bic' is for method bank; leave it out for paypal.");
        }

        var taxId = string.IsNullOrWhiteSpace(input.TaxId) ? null : input.TaxId.Trim();
        if (taxId is { Length: > 50 }) Add("taxId", "'taxId' has at most 50 characters.");

        if (errors.Count > 0) return (null, errors);
        return (new PayoutDetails
        {
            AmbassadorId = ambassadorId,
            Method = method!.Value,
            LegalName = legalName!,
            Country = country!,
            Iban = iban,
            Bic = bic,
            PaypalEmail = paypal,
            TaxId = taxId,
            UpdatedAt = now,
            UpdatedBy = actor,
        }, errors);
    }

    /// <summary>An IBAN as people check it on screen or in the audit log: the country, check digits and last four.</summary>
    public static string MaskIban(string iban) => iban.Length <= 8 ? iban : $"{iban[..4]}…{iban[^4..]}";

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
