using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Content.Pages;

/// <summary>The library form as typed: the piece's fields and "exclusive until" in the page's date format (UTC).</summary>
public sealed class ContentForm
{
    public string? Title { get; set; }
    public string? Body { get; set; }
    public string? MediaUrl { get; set; }
    public string? DestinationUrl { get; set; }
    public string? EmbargoUntil { get; set; }

    public static ContentForm Of(ContentRecord piece, CultureInfo culture) => new()
    {
        Title = piece.Title, Body = piece.Body, MediaUrl = piece.MediaUrl, DestinationUrl = piece.DestinationUrl,
        EmbargoUntil = ContentInput.FormValue(piece.EmbargoUntil, culture),
    };
}

/// <summary>
/// What the new and edit pages share: the form, checked by the API's rules (<see cref="ContentInput"/>), and each refusal
/// shown next to its field in the page's language; nothing is stored while any field is refused (422).
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
public abstract class ContentFormPage(IStringLocalizer<ContentTexts> texts) : PageModel
{
    [BindProperty] public ContentForm Form { get; set; } = new();

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string CampaignId { get; protected set; } = "";
    public string CampaignName { get; protected set; } = "";
    /// <summary>Where links go when the piece has no destination of its own.</summary>
    public string CampaignDestination { get; protected set; } = "";

    [TempData] public string? Flash { get; set; }

    protected IStringLocalizer<ContentTexts> Texts => texts;

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    public abstract bool Editing { get; }

    /// <summary>The pattern and an example of "exclusive until" in the page's culture.</summary>
    public static string Pattern => ContentInput.FormPattern(CultureInfo.CurrentCulture);

    public static string Example => ContentInput.FormValue(new DateTimeOffset(2026, 12, 12, 9, 0, 0, TimeSpan.Zero), CultureInfo.CurrentCulture);

    /// <summary>The form read by the API's rules; null (and <see cref="Errors"/> filled) when a field is refused.</summary>
    protected (ContentFields Fields, DateTimeOffset? Embargo)? Read()
    {
        var check = new Validation();
        var fields = ContentInput.Fields(check, Form.Title, Form.Body, Form.MediaUrl, Form.DestinationUrl);
        var embargo = ContentInput.FormEmbargo(check, Form.EmbargoUntil, CultureInfo.CurrentCulture);
        if (check.IsValid) return (fields, embargo);
        Refuse(check.Errors);
        return null;
    }

    /// <summary>The page again with a message beside each refused field (422).</summary>
    protected PageResult Refused(IReadOnlyDictionary<string, string[]>? errors = null)
    {
        if (errors is not null) Refuse(errors);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private void Refuse(IEnumerable<KeyValuePair<string, string[]>> errors)
    {
        foreach (var (field, messages) in errors)
        {
            var text = field == "embargoUntil" ? texts["Error." + field, Pattern] : texts["Error." + field];
            Errors[field] = text.ResourceNotFound ? string.Join(" ", messages) : text.Value;
        }
    }
}
