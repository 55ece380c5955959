using System.Globalization;
using System.Text.RegularExpressions;
using Ambassadors.Web.Http;

namespace Ambassadors.Web.Conversions;

/// <summary>A conversion's occurredAt as the merchant writes it: an instant with its offset, read without guessing a time zone.</summary>
public static class OccurredAt
{
    /// <summary>
    /// An instant as RFC 3339 writes it: date, 'T', time (seconds and fraction optional) and an offset ('Z' or ±hh:mm).
    /// Without an offset the same text names a different instant in every time zone, so it is refused, not guessed.
    /// </summary>
    private static readonly Regex InstantShape = new(
        @"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(?<offset>[Zz]|[+-]\d{2}:\d{2})?\z", RegexOptions.CultureInvariant);

    /// <summary>How far back a conversion may be reported.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(366);

    /// <summary>
    /// Why <paramref name="text"/> is not an occurredAt at <paramref name="now"/> (null when it is one, in <paramref name="at"/>):
    /// not an instant with an offset, in the future (beyond the tolerated clock skew), or more than a year ago.
    /// </summary>
    public static string? Problem(string text, DateTimeOffset now, out DateTimeOffset at)
    {
        at = default;
        var shown = Validation.Truncate(text);
        var match = InstantShape.Match(text);
        if (!match.Success)
        {
            return $"'occurredAt' ('{shown}') is not a date and time; write it as in 2026-11-01T10:00:00Z.";
        }
        if (!match.Groups["offset"].Success)
        {
            return $"'occurredAt' ('{shown}') has no time-zone offset; add Z for UTC or the offset, as in 2026-11-01T10:00:00+01:00.";
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            return $"'occurredAt' ('{shown}') is not a date and time that exists.";
        }
        if (at > now + ConversionService.ClockSkew) return $"'occurredAt' ('{shown}') is in the future.";
        if (at < now - MaxAge) return $"'occurredAt' ('{shown}') is more than a year ago.";
        return null;
    }
}
