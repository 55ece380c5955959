using System.Security.Claims;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Access.Pages;

/// <summary>
/// Where a manager lands after signing in. Their workspace is not built yet: this page says so and what they can use
/// meanwhile, instead of the 404 (in JSON) that /manage used to answer.
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class ManageModel : PageModel
{
    public string Role => User.FindFirstValue(ClaimTypes.Role) ?? "";

    public void OnGet()
    {
    }
}
