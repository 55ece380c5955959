using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Missions.Pages;

/// <summary>A mission on a campaign's list: the mission, its submissions per status.</summary>
public sealed record MissionRow(Mission Mission, SubmissionCounts Counts);

/// <summary>A campaign's missions (current, upcoming, past) with their submissions and how many members completed each; a form to make one.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class CampaignMissionsModel(AppDbContext db, MissionService missions, IStringLocalizer<MissionTexts> localizer) : MissionFormPage(localizer)
{
    public string CampaignId { get; private set; } = "";
    public string CampaignName { get; private set; } = "";
    /// <summary>The campaign's members now (not removed): the whole of each mission's progress bar.</summary>
    public int Members { get; private set; }
    public DateOnly Today { get; private set; }
    public IReadOnlyList<MissionRow> Rows { get; private set; } = [];
    [TempData] public string? Flash { get; set; }

    public IEnumerable<MissionRow> In(MissionPhase phase) => Rows.Where(r => MissionPhrases.PhaseOf(r.Mission, Today) == phase);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        var today = missions.Today;
        Form = new MissionForm { StartsOn = today.ToString(IsoDates.Format), DueOn = today.AddDays(30).ToString(IsoDates.Format) };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        return await SaveAsync(input => missions.CreateAsync(id, input, StaffActor.Of(User).Audit, cancellationToken),
            made => Flash = Texts["Flash.Created", made.Title]);
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var campaign = Ids.LooksLike(id, "cmp")
            ? await db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Id, c.Name, c.Currency }).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (campaign is null) return false;
        (CampaignId, CampaignName, Currency) = (campaign.Id, campaign.Name, campaign.Currency);
        Today = missions.Today;
        Members = await db.Memberships.CountAsync(m => m.CampaignId == id && m.RemovedAt == null, cancellationToken);
        var list = await missions.ListAsync(id, cancellationToken) ?? [];
        var counts = await MissionService.CountsAsync(db, list.Select(m => m.Id).ToList(), cancellationToken);
        Rows = list.Select(m => new MissionRow(m, counts.GetValueOrDefault(m.Id) ?? SubmissionCounts.None)).ToList();
        return true;
    }
}
