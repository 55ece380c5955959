using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Missions.Pages;

/// <summary>
/// One mission of a campaign the ambassador is in now: the brief, dates and bonus, their proof and its review (accepted:
/// the bonus and when it becomes payable; rejected: the reason, and the form again), and the form while the mission
/// runs. Any other mission (a campaign they are not or no longer in, a guessed id) is a 404.
/// </summary>
[Authorize(Policy = StaffPolicies.Portal)]
public sealed class PortalMissionModel(AppDbContext db, MissionService missions, TimeProvider clock, IStringLocalizer<MissionTexts> texts) : PageModel
{
    public Mission Mission { get; private set; } = null!;
    public string CampaignName { get; private set; } = "";
    public MissionSubmission? Submission { get; private set; }
    public LedgerEntry? Bonus { get; private set; }
    public DateOnly Today { get; private set; }
    public DateTimeOffset Now { get; private set; }

    [BindProperty] public string? ProofUrl { get; set; }
    [BindProperty] public string? Note { get; set; }
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public string? Problem { get; private set; }
    [TempData(Key = "MissionNotice")] public string? Notice { get; set; }

    public bool Running => MissionPhrases.PhaseOf(Mission, Today) == MissionPhase.Current;
    public bool CanSend => Running && Submission?.Status != SubmissionStatus.Accepted;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        if (Submission is { Status: not SubmissionStatus.Accepted } s)
        {
            ProofUrl = s.ProofUrl;
            Note = s.Note;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        var me = User.AmbassadorId();
        var name = await db.Ambassadors.AsNoTracking().Where(a => a.Id == me).Select(a => a.Name).SingleAsync(cancellationToken);
        var result = await missions.SubmitAsync(me, id, new ProofInput(ProofUrl, Note), new Actor($"ambassador:{me}", Truncate(name + " (ambassador)")), cancellationToken);
        if (result.Succeeded)
        {
            Notice = texts["Portal.Sent"];
            return Redirect($"/portal/missions/{id}");
        }
        var failure = result.Failure!;
        if (failure.Kind == FailureKind.NotFound) return NotFound();
        if (failure.Kind == FailureKind.Conflict)
        {
            Problem = texts[failure.Field == "submission" ? "Portal.Final" : "Portal.NotRunning"];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        foreach (var (field, _) in failure.FieldErrors) Errors[field] = texts[field == "note" ? "Error.note" : "Error.proofUrl"];
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..79] + "…";

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var me = User.AmbassadorId();
        if (await MissionService.MissionOfMemberAsync(db, me, id, cancellationToken) is not { } mission) return false;
        Mission = mission;
        CampaignName = await db.Campaigns.AsNoTracking().Where(c => c.Id == mission.CampaignId).Select(c => c.Name).SingleAsync(cancellationToken);
        Submission = await db.MissionSubmissions.AsNoTracking().SingleOrDefaultAsync(s => s.MissionId == id && s.AmbassadorId == me, cancellationToken);
        Bonus = Submission is null ? null : await db.Ledger.AsNoTracking().SingleOrDefaultAsync(e => e.SubmissionId == Submission.Id, cancellationToken);
        Today = missions.Today;
        Now = clock.GetUtcNow();
        return true;
    }
}
