using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Missions.Pages;

/// <summary>Changes a mission's title, brief, dates and bonus (the same rules as making one); a new bonus counts for proofs accepted from then on.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class EditMissionModel(AppDbContext db, MissionService missions, IStringLocalizer<MissionTexts> localizer) : MissionFormPage(localizer)
{
    public Mission Mission { get; private set; } = null!;
    public string CampaignName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        Form = MissionForm.Of(Mission);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        return await SaveAsync(input => missions.UpdateAsync(id, input, StaffActor.Of(User).Audit, cancellationToken),
            _ => TempData["Flash"] = Texts["Flash.Saved"].Value);
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (await missions.FindAsync(id, cancellationToken) is not { } mission) return false;
        Mission = mission;
        Currency = mission.Currency;
        CampaignName = await db.Campaigns.AsNoTracking().Where(c => c.Id == mission.CampaignId).Select(c => c.Name).SingleAsync(cancellationToken);
        return true;
    }
}
