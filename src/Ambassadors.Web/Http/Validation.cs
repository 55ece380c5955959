using Ambassadors.Data;

namespace Ambassadors.Web.Http;

/// <summary>Collects field errors for one request; empty means valid.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>
    /// A required string: present, not blank, at most <paramref name="maxLength"/> characters, without control characters
    /// (tab, CR and LF allowed when <paramref name="multiline"/>).
    /// </summary>
    public string Required(string field, string? value, int maxLength, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
            return "";
        }
        return Text(field, value, maxLength, multiline)!;
    }

    public string? Optional(string field, string? value, int maxLength, bool multiline = false) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(field, value, maxLength, multiline);

    /// <summary>Checks the text as sent (a trailing line break is refused, not trimmed away), returns it trimmed.</summary>
    private string? Text(string field, string value, int maxLength, bool multiline)
    {
        if (PlainText.HasControlCharacters(value, multiline))
        {
            Add(field, PlainText.Refusal(field, multiline));
            return value.Trim();
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength) Add(field, TooLong(field, trimmed, maxLength));
        return trimmed;
    }

    /// <summary>A single-line text taken as it is (not trimmed): at most <paramref name="maxLength"/> characters, no control characters.</summary>
    public string? Length(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, TooLong(field, value, maxLength));
        }
        else if (value is not null && PlainText.HasControlCharacters(value))
        {
            Add(field, PlainText.Refusal(field));
        }
        return value;
    }

    private static string TooLong(string field, string value, int maxLength) =>
        $"'{field}' is {value.Length} characters long; the limit is {maxLength}.";

    public string? Url(string field, string? value, bool required)
    {
        var text = required ? Required(field, value, 2048) : Optional(field, value, 2048);
        if (string.IsNullOrEmpty(text)) return text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Add(field, $"'{field}' must be an absolute http or https URL.");
        }
        return text;
    }

    public string Email(string field, string? value)
    {
        var text = Required(field, value, EmailAddresses.MaxLength);
        if (text.Length is > 0 and <= EmailAddresses.MaxLength && !EmailAddresses.IsValid(text))
        {
            Add(field, $"'{field}' is not a valid email address.");
        }
        return text;
    }

    /// <summary>An ISO 4217 code in upper case; returned only when it is one.</summary>
    public string? Currency(string field, string? value, bool required)
    {
        var text = required ? Required(field, value, 3) : Optional(field, value, 3);
        if (string.IsNullOrEmpty(text)) return null;
        if (Currencies.IsKnown(text)) return text;
        Add(field, $"'{Truncate(text)}' is not an ISO 4217 currency code in upper case (e.g. EUR, USD, JPY).");
        return null;
    }

    /// <summary>Money with no more decimals than its currency allows (nothing to check without a known currency).</summary>
    public void MinorUnits(string field, decimal amount, string? currency)
    {
        if (currency is not null && !Currencies.FitsMinorUnit(amount, currency)) Add(field, TooManyDecimals(field, currency));
    }

    public static string TooManyDecimals(string field, string currency) =>
        $"'{field}' has more decimals than {currency} allows ({Currencies.DecimalsOf(currency)}).";

    public T? OneOf<T>(string field, string? value, bool required) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, $"'{field}' is required; one of: {Names<T>()}.");
            return null;
        }
        // Exactly one lower-case name: Enum.TryParse alone would also take "7" or "brand,sales".
        if (!EnumNames.TryParse<T>(value.Trim(), out var parsed))
        {
            Add(field, $"'{field}' must be one of: {Names<T>()}; '{Truncate(value)}' is not.");
            return null;
        }
        return parsed;
    }

    public void Range(string field, long? value, long min, long max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(field, $"'{field}' must be between {min} and {max}.");
        }
    }

    /// <summary>An optional date written YYYY-MM-DD.</summary>
    public DateOnly? Date(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (IsoDates.TryParse(value, out var date)) return date;
        Add(field, $"'{field}' must be {IsoDates.Described}.");
        return null;
    }

    public static string Names<T>() where T : struct, Enum =>
        EnumNames.Listed<T>();

    public static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
