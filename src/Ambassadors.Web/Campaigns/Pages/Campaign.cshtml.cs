using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Stats;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>One campaign: its objective and KPI, settings in words, results with a daily chart, content pieces; status changes.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class CampaignModel(IGrainFactory grains, StatsService stats, TimeProvider clock, IStringLocalizer<CampaignTexts> texts) : PageModel
{
    public CampaignRecord Campaign { get; private set; } = null!;
    public StatsView Stats { get; private set; } = null!;
    public KpiBar? Kpi { get; private set; }
    public DailyChart Chart { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    /// <summary>The status asked for by a status button.</summary>
    [BindProperty] public string? NewStatus { get; set; }
    [BindProperty] public string? Confirmed { get; set; }
    public bool AskToEnd { get; private set; }
    public string? Problem { get; private set; }

    [TempData] public string? Flash { get; set; }

    /// <summary>The public form takes applications only while the campaign recruits or runs (API.md, "Campaigns").</summary>
    public bool TakesApplications => Campaign.Status is CampaignStatus.Recruiting or CampaignStatus.Active;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostStatusAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        var patch = new MergePatch<UpdateCampaignRequest>(new UpdateCampaignRequest(Status: NewStatus ?? ""),
            new HashSet<string>(["status"]), new HashSet<string>());
        var changes = CampaignInput.Update(patch, Campaign);
        if (changes.Failure is not null)
        {
            Problem = texts["Error.status"];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        if (changes.Value!.Status == CampaignStatus.Ended && Campaign.Status != CampaignStatus.Ended && Confirmed != EditModel.Yes)
        {
            AskToEnd = true;
            return Page();
        }
        var updated = await grains.GetGrain<ICampaignGrain>(id).UpdateAsync(changes.Value);
        if (updated.Failure is not null)
        {
            Problem = texts["Error.Changed"];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        Flash = texts["Flash.Status", texts["Status." + updated.Value!.Status.Name()]];
        return Redirect($"/manage/campaigns/{id}");
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cmp") || await grains.GetGrain<ICampaignGrain>(id).GetAsync() is not { } campaign) return false;
        if (await stats.ForAsync(StatsSubject.Campaign, id, null, null, cancellationToken) is not { } view) return false;
        Campaign = campaign;
        Stats = view;
        Kpi = KpiBar.Of(campaign, view);
        Chart = DailyChart.Of(view.Daily);
        Now = clock.GetUtcNow();
        return true;
    }
}
