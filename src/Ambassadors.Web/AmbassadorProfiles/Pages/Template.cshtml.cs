using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.AmbassadorProfiles.Pages;

/// <summary>The import template as .xlsx or .csv: the columns and two sample rows (one person with two profiles).</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class TemplateModel : PageModel
{
    [FromRoute] public string Format { get; set; } = "";

    public IActionResult OnGet() => Format switch
    {
        "xlsx" => File(AmbassadorImport.TemplateXlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ambassadors-template.xlsx"),
        "csv" => File(AmbassadorImport.TemplateCsv(), "text/csv; charset=utf-8", "ambassadors-template.csv"),
        _ => NotFound(),
    };
}
