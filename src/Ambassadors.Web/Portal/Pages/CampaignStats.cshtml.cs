using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Campaigns.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>/portal/stats/{campaignId}: my results in one campaign I am or was in (else 404), per link, and its leaderboard.</summary>
public sealed class CampaignStatsModel(IDbContextFactory<AppDbContext> contexts, IGrainFactory grains, TimeProvider clock) : PageModel
{
    public MyCampaignStats Stats { get; private set; } = null!;
    public DailyChart Chart { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string campaignId, CancellationToken cancellationToken)
    {
        if (await new PortalStats(contexts, grains, clock).ForCampaignAsync(User.AmbassadorId(), campaignId, cancellationToken) is not { } stats)
        {
            return NotFound();
        }
        Stats = stats;
        Chart = DailyChart.Of(stats.Daily);
        return Page();
    }
}
