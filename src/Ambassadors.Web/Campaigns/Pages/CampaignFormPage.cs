using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>What the new and edit pages share: the form, and a refusal shown as one message next to each field at fault.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public abstract class CampaignFormPage(IStringLocalizer<CampaignTexts> texts) : PageModel
{
    [BindProperty] public CampaignForm Form { get; set; } = CampaignForm.Blank();

    /// <summary>The message beside each field, by the API's field name ("kpi.target").</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>A refusal that belongs to no field (the campaign changed meanwhile).</summary>
    public string? Problem { get; private set; }

    [TempData] public string? Flash { get; set; }

    protected IStringLocalizer<CampaignTexts> Texts => texts;

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    /// <summary>The page again with the refusal: 422 for invalid fields, 409 for a conflict.</summary>
    protected PageResult Refused(Failure failure, int members = 0)
    {
        if (failure.Kind == FailureKind.Conflict && failure.Field == "capacity")
        {
            Errors["capacity"] = texts["Error.capacityBelowMembers", members];
        }
        else if (failure.Kind == FailureKind.Conflict)
        {
            // The one other conflict of an update: another change won the row's version first.
            Problem = texts["Error.Changed"];
        }
        foreach (var field in failure.FieldErrors.Keys) Errors[field] = MessageFor(field, failure.FieldErrors[field]);
        Response.StatusCode = failure.Kind == FailureKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>Text that is not a number or a date, with whatever else the rules refused.</summary>
    protected PageResult Refused(Validation unreadable, Failure? invalid)
    {
        var errors = new Dictionary<string, string[]>(invalid?.FieldErrors ?? new Dictionary<string, string[]>());
        foreach (var (field, messages) in unreadable.Errors) errors[field] = messages;
        return Refused(Fail.Invalid(errors, "The form has fields to correct."));
    }

    /// <summary>The field's rule in the page's language; the API's own words only for a field the texts do not know.</summary>
    private string MessageFor(string field, string[] messages)
    {
        var text = texts["Error." + field];
        return text.ResourceNotFound ? string.Join(" ", messages) : text.Value;
    }
}
