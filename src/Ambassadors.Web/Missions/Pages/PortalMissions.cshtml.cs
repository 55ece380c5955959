using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Missions.Pages;

/// <summary>A mission as a member sees it on the list: the mission, its campaign's name and the member's own submission.</summary>
public sealed record MyMission(Mission Mission, string CampaignName, MissionSubmission? Submission);

/// <summary>The missions of the campaigns the ambassador is in now: what runs (with what to do and when it is due), what comes, and past ones with the result.</summary>
[Authorize(Policy = StaffPolicies.Portal)]
public sealed class PortalMissionsModel(AppDbContext db, MissionService missions) : PageModel
{
    public DateOnly Today { get; private set; }
    public IReadOnlyList<MyMission> Items { get; private set; } = [];

    public IEnumerable<MyMission> In(MissionPhase phase) => Items.Where(i => MissionPhrases.PhaseOf(i.Mission, Today) == phase);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Today = missions.Today;
        Items = await MineAsync(db, User.AmbassadorId(), cancellationToken);
        return Page();
    }

    /// <summary>For the portal's home: running missions due within a week that still wait for the ambassador's proof (none sent, or rejected).</summary>
    public static async Task<List<MyMission>> DueSoonAsync(AppDbContext db, string me, DateOnly today, CancellationToken cancellationToken) =>
        (await MineAsync(db, me, cancellationToken))
        .Where(m => MissionPhrases.PhaseOf(m.Mission, today) == MissionPhase.Current && m.Mission.DueOn <= today.AddDays(7)
                    && m.Submission?.Status is null or SubmissionStatus.Rejected)
        .ToList();

    /// <summary>The ambassador's missions (campaigns they are a member of now), soonest due first, with their submissions.</summary>
    public static async Task<List<MyMission>> MineAsync(AppDbContext db, string me, CancellationToken cancellationToken)
    {
        var rows = await (
                from member in db.Memberships.AsNoTracking()
                where member.AmbassadorId == me && member.RemovedAt == null
                join campaign in db.Campaigns on member.CampaignId equals campaign.Id
                join mission in db.Missions on campaign.Id equals mission.CampaignId
                select new { mission, campaign.Name })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.mission.Id).ToList();
        var submissions = await db.MissionSubmissions.AsNoTracking().Where(s => s.AmbassadorId == me && ids.Contains(s.MissionId))
            .ToDictionaryAsync(s => s.MissionId, StringComparer.Ordinal, cancellationToken);
        return rows.OrderBy(r => r.mission.DueOn).ThenBy(r => r.mission.StartsOn).ThenBy(r => r.mission.Id, StringComparer.Ordinal)
            .Select(r => new MyMission(r.mission, r.Name, submissions.GetValueOrDefault(r.mission.Id))).ToList();
    }
}
