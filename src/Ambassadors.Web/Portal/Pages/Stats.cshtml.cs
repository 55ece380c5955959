using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Campaigns.Pages;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>/portal/stats: my totals over every campaign, my reach, the last 30 days, one card per campaign, the people I brought in.</summary>
public sealed class StatsModel(IDbContextFactory<AppDbContext> contexts, IGrainFactory grains, TimeProvider clock) : PageModel
{
    public MyStats Stats { get; private set; } = null!;
    public DailyChart Chart { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Stats = await new PortalStats(contexts, grains, clock).ForAsync(User.AmbassadorId(), cancellationToken);
        Chart = DailyChart.Of(Stats.Daily);
        Now = clock.GetUtcNow();
    }
}
