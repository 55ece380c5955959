using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Missions.Pages;

/// <summary>A submission on the review page, with who sent it and its bonus entry.</summary>
public sealed record SubmissionRow(MissionSubmission Submission, string AmbassadorName, LedgerEntry? Bonus);

/// <summary>A bulk review waiting for its confirmation: accept or reject, which submissions, and what it adds to the ledger.</summary>
public sealed record PendingReview(string Decision, IReadOnlyList<string> Ids, int Waiting, long BonusMinor, string? Reason);

/// <summary>
/// One mission: its brief, dates and bonus, and its submissions (filter by status, newest first, paged) to accept or
/// reject in bulk after a confirmation naming how many and the bonus to be added. Each submission is reviewed on its own
/// (exactly once each); the result says how many changed and how many were already so.
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class MissionModel(AppDbContext db, MissionService missions, IStringLocalizer<MissionTexts> texts) : PageModel
{
    public const int PageSize = 50;
    public static readonly string[] Decisions = ["accept", "reject"];

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Mission Mission { get; private set; } = null!;
    public string CampaignName { get; private set; } = "";
    public int Members { get; private set; }
    public DateOnly Today { get; private set; }
    public SubmissionCounts Counts { get; private set; } = SubmissionCounts.None;
    public IReadOnlyList<SubmissionRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public PendingReview? Confirm { get; private set; }
    public string? Problem { get; private set; }
    public string? ReasonError { get; private set; }
    public string? Reason { get; private set; }
    [TempData] public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostReviewAsync(string id, List<string> ids, string? decision, string? reason, bool confirmed,
        CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        ids = ids.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        Reason = reason;
        if (decision is null || !Decisions.Contains(decision) || ids.Count == 0)
        {
            Problem = texts[ids.Count == 0 ? "Review.SelectSome" : "Review.Unknown"];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        if (decision == "reject")
        {
            var check = new Http.Validation();
            check.Required("reason", reason, MissionService.ReasonLength, multiline: true);
            if (!check.IsValid)
            {
                ReasonError = texts["Error.reason"];
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
            }
        }
        // Only this mission's submissions: an id of another mission is ignored, as a guessed one is.
        var mine = await db.MissionSubmissions.AsNoTracking().Where(s => s.MissionId == id && ids.Contains(s.Id))
            .Select(s => new { s.Id, s.Status }).ToListAsync(cancellationToken);
        if (mine.Count == 0) return NotFound();
        if (!confirmed)
        {
            var waiting = mine.Count(s => s.Status == SubmissionStatus.Submitted);
            Confirm = new PendingReview(decision, mine.Select(s => s.Id).ToList(), waiting,
                decision == "accept" ? waiting * (Mission.BonusMinor ?? 0) : 0, reason?.Trim());
            return Page();
        }

        var actor = StaffActor.Of(User).Audit;
        int changed = 0, already = 0, refused = 0;
        foreach (var submission in mine)
        {
            var result = decision == "accept"
                ? await missions.AcceptAsync(submission.Id, actor, cancellationToken)
                : await missions.RejectAsync(submission.Id, reason, actor, cancellationToken);
            if (result.Failure is not null) refused++;
            else if (result.Changed) changed++;
            else already++;
        }
        var parts = new List<string> { texts[$"Result.{decision}.Done", Number(changed)] };
        if (already > 0) parts.Add(texts[$"Result.{decision}.Already", Number(already)]);
        if (refused > 0) parts.Add(texts[$"Result.{decision}.Refused", Number(refused)]);
        Flash = string.Join(", ", parts);
        return LocalRedirect(Here(id));
    }

    private static string Number(int count) => Http.Pages.Display.Number(count);

    /// <summary>This page with the current filter and page number.</summary>
    public string Here(string id, int? page = null)
    {
        var query = new List<string>();
        if (Status is not null) query.Add($"status={Status}");
        if ((page ?? PageNumber) > 1) query.Add($"p={page ?? PageNumber}");
        return $"/manage/missions/{id}" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    public string ReviewAction(string id) => Here(id) is var here && here.Contains('?') ? $"{here}&handler=Review" : $"{here}?handler=Review";

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (await missions.FindAsync(id, cancellationToken) is not { } mission) return false;
        Mission = mission;
        CampaignName = await db.Campaigns.AsNoTracking().Where(c => c.Id == mission.CampaignId).Select(c => c.Name).SingleAsync(cancellationToken);
        Members = await db.Memberships.CountAsync(m => m.CampaignId == mission.CampaignId && m.RemovedAt == null, cancellationToken);
        Today = missions.Today;
        Counts = (await MissionService.CountsAsync(db, [id], cancellationToken)).GetValueOrDefault(id) ?? SubmissionCounts.None;
        SubmissionStatus? status = EnumNames.TryParse<SubmissionStatus>(Status ?? "", out var s) ? s : null;
        if (status is null) Status = null;
        PageNumber = Math.Max(1, PageNumber);
        var query = MissionService.SubmissionsOf(db, id, status);
        Total = await query.CountAsync(cancellationToken);
        var page = await (
                from submission in query.Skip((PageNumber - 1) * PageSize).Take(PageSize)
                join ambassador in db.Ambassadors on submission.AmbassadorId equals ambassador.Id
                select new { submission, ambassador.Name })
            .ToListAsync(cancellationToken);
        var ordered = page.OrderByDescending(r => r.submission.SubmittedAt).ThenBy(r => r.submission.Id, StringComparer.Ordinal).ToList();
        var bonuses = await MissionService.BonusesAsync(db, ordered.Select(r => r.submission.Id).ToList(), cancellationToken);
        Rows = ordered.Select(r => new SubmissionRow(r.submission, r.Name, bonuses.GetValueOrDefault(r.submission.Id))).ToList();
        return true;
    }
}
