using System.Globalization;
using System.Text.RegularExpressions;
using Ambassadors.Web.Http;

namespace Ambassadors.Web.Content;

/// <summary>A piece's fields as checked for the API and the library's form alike (one set of rules).</summary>
public sealed record ContentFields(string Title, string? Body, string? MediaUrl, string? DestinationUrl);

public static partial class ContentInput
{
    public const int MaxTitle = 200;
    public const int MaxBody = 20_000;

    /// <summary>An embargo is an instant between these (API.md, "Input rules": dates within 2000..2100).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Latest = new(2101, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An instant as RFC 3339 writes it, its offset required ('Z' or ±hh:mm).</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(?<offset>[Zz]|[+-]\d{2}:\d{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex InstantShape();

    public static ContentFields Fields(Validation check, string? title, string? body, string? mediaUrl, string? destinationUrl) => new(
        check.Required("title", title, MaxTitle),
        check.Optional("body", body, MaxBody, multiline: true),
        check.Url("mediaUrl", mediaUrl, required: false),
        check.Url("destinationUrl", destinationUrl, required: false));

    /// <summary>The API's embargoUntil: ISO 8601 with its offset ("2026-12-12T09:00:00+01:00"), stored in UTC. Blank or null: none.</summary>
    public static DateTimeOffset? Embargo(Validation check, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var shown = Validation.Truncate(text);
        var match = InstantShape().Match(text);
        if (!match.Success)
        {
            check.Add("embargoUntil", $"'embargoUntil' ('{shown}') is not a date and time; write it as in 2026-12-12T09:00:00+01:00.");
            return null;
        }
        if (!match.Groups["offset"].Success)
        {
            check.Add("embargoUntil", $"'embargoUntil' ('{shown}') has no time-zone offset; add Z for UTC or the offset, as in 2026-12-12T09:00:00+01:00.");
            return null;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            check.Add("embargoUntil", $"'embargoUntil' ('{shown}') is not a date and time that exists.");
            return null;
        }
        return InRange(check, at.ToUniversalTime());
    }

    /// <summary>
    /// The library form's "exclusive until": a date and time in UTC written the page's way (the culture's short date, then
    /// hours and minutes: 12/5/2026 14:00, 5-12-2026 14:00) or as ISO (2026-12-05 14:00, what a datetime-local input sends).
    /// </summary>
    public static DateTimeOffset? FormEmbargo(Validation check, string? text, CultureInfo culture)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var date = culture.DateTimeFormat.ShortDatePattern;
        string[] formats = [date + " HH:mm", date + " H:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];
        if (!DateTime.TryParseExact(text.Trim(), formats, culture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            check.Add("embargoUntil", $"'embargoUntil' ('{Validation.Truncate(text)}') is not a date and time written as {FormPattern(culture)}.");
            return null;
        }
        return InRange(check, new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)));
    }

    /// <summary>How the form writes an embargo: the culture's short date, then 24-hour time (UTC).</summary>
    public static string FormPattern(CultureInfo culture) => culture.DateTimeFormat.ShortDatePattern + " HH:mm";

    public static string FormValue(DateTimeOffset? at, CultureInfo culture) =>
        at is { } a ? a.UtcDateTime.ToString(FormPattern(culture), culture) : "";

    private static DateTimeOffset? InRange(Validation check, DateTimeOffset at)
    {
        if (at >= Earliest && at < Latest) return at;
        check.Add("embargoUntil", "'embargoUntil' must lie between the years 2000 and 2100.");
        return null;
    }

    /// <summary>A JSON Merge Patch applied to the piece as it is: a field left out stays, null clears (the title cannot be cleared).</summary>
    public static (Validation Check, ContentEdit Edit) Patch(MergePatch<UpdateContentRequest> patch, ContentRecord current)
    {
        var check = new Validation();
        var request = patch.Value;
        if (patch.Cleared("title")) check.Add("title", "'title' cannot be cleared; leave it out to keep it as it is.");
        var title = patch.Sent("title") && !patch.Cleared("title") ? check.Required("title", request.Title, MaxTitle) : current.Title;
        var body = patch.Sent("body") ? check.Optional("body", request.Body, MaxBody, multiline: true) : current.Body;
        var media = patch.Sent("mediaUrl") ? check.Url("mediaUrl", request.MediaUrl, required: false) : current.MediaUrl;
        var destination = patch.Sent("destinationUrl") ? check.Url("destinationUrl", request.DestinationUrl, required: false) : current.DestinationUrl;
        var embargo = patch.Sent("embargoUntil") ? Embargo(check, request.EmbargoUntil) : current.EmbargoUntil;
        return (check, new ContentEdit(title, body, media, destination, embargo));
    }
}
