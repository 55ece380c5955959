using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>One of the ambassador's campaigns as the portal lists it.</summary>
public sealed record PortalCampaign(string Id, string Name, CampaignStatus Status, string ReferralCode, DateTimeOffset JoinedAt);

/// <summary>The portal's home: the signed-in ambassador's greeting and their current campaigns.</summary>
public sealed class IndexModel(IDbContextFactory<AppDbContext> contexts) : PageModel
{
    public string FirstName { get; private set; } = "";
    public IReadOnlyList<PortalCampaign> Campaigns { get; private set; } = [];
    [TempData(Key = "PortalNotice")] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var me = User.AmbassadorId();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = await db.Ambassadors.AsNoTracking().Where(a => a.Id == me).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken);
        if (name is null) return NotFound();
        FirstName = PortalNames.FirstName(name);
        Campaigns = await PortalQueries.CampaignsOf(db, me).ToListAsync(cancellationToken);
        return Page();
    }
}
