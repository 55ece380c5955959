using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Programme.Pages;

/// <summary>A campaign's results: its totals and KPI, the leaderboard of its ambassadors (paged), a funnel per piece.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class CampaignResultsModel(ResultsService results) : PageModel
{
    public const int PageSize = 25;

    /// <summary>The page of the leaderboard, from 1 ("page" is a name Razor Pages keeps for itself).</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public int Number { get; set; } = 1;

    public CampaignResults Results { get; private set; } = null!;
    public IReadOnlyList<MemberResult> Leaderboard { get; private set; } = [];
    public IReadOnlyList<FunnelChart> Funnels { get; private set; } = [];
    public int Pages => Math.Max(1, (Results.Leaderboard.Count + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await results.CampaignAsync(id, cancellationToken) is not { } found) return NotFound();
        Results = found;
        Number = Math.Clamp(Number, 1, Pages);
        Leaderboard = found.Leaderboard.Skip((Number - 1) * PageSize).Take(PageSize).ToList();
        Funnels = found.Pieces.Select(FunnelChart.Of).ToList();
        return Page();
    }
}
