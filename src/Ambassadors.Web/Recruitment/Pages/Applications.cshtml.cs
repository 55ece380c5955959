using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Recruitment.Pages;

/// <summary>A bulk decision waiting for its confirmation: what, on which applications, and the places it needs and has.</summary>
public sealed record PendingDecision(string Decision, IReadOnlyList<string> Ids, int Places, int? PlacesLeft, bool Notify);

/// <summary>
/// The review of a campaign's applications: filter (status, country, minimum score), sort (score or date), page, select
/// many and accept, decline or waitlist them after a confirmation (all or nothing); rate each motivation; set the score weights.
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class ApplicationsModel(AppDbContext db, Decisions decisions, IStringLocalizer<RecruitmentTexts> T) : PageModel
{
    public const int PageSize = 50;
    public static readonly IReadOnlyList<string> DecisionNames = ["accept", "decline", "waitlist"];

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? MinScore { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    /// <summary>The page number, as <c>?p=</c> (Razor Pages keeps <c>page</c> for the page's own name).</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Campaign Campaign { get; private set; } = null!;
    public IReadOnlyList<ScoredApplication> Items { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public Dictionary<ApplicationStatus, int> Counts { get; private set; } = [];
    public IReadOnlyList<string> CountryCodes { get; private set; } = [];
    public PendingDecision? Confirm { get; private set; }
    public string? Problem { get; private set; }
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    /// <summary>The weights as typed (the form shows them back when one is refused).</summary>
    public Dictionary<string, string> WeightInputs { get; } = new(StringComparer.Ordinal);
    [TempData] public string? Flash { get; set; }

    public int? PlacesLeft => Campaign.Capacity is { } capacity ? Math.Max(0, capacity - Campaign.MemberCount) : null;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(string id, List<string> ids, string? decision, bool notify, bool confirmed,
        CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        ids = ids.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        if (decision is null || !DecisionNames.Contains(decision) || ids.Count == 0)
        {
            Problem = T[ids.Count == 0 ? "Review.SelectSome" : "Review.UnknownDecision"];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var places = await db.Applications.AsNoTracking()
            .CountAsync(a => a.CampaignId == id && ids.Contains(a.Id) && a.Status != ApplicationStatus.Accepted, cancellationToken);
        if (!confirmed)
        {
            Confirm = new PendingDecision(decision, ids, places, PlacesLeft, notify);
            return Page();
        }

        var actor = RecruitmentApi.Actor(User);
        var result = decision == "accept"
            ? await decisions.AcceptAsync(id, ids, actor, cancellationToken)
            : await decisions.DecideAsync(id, ids, decision == "decline" ? ApplicationStatus.Declined : ApplicationStatus.Waitlisted,
                notify, actor, cancellationToken);
        if (result.Failure is { } failure)
        {
            await LoadAsync(id, cancellationToken);
            Problem = failure.Field == Ambassadors.Web.Recruitment.Decisions.CapacityField
                ? T["Review.Full", PlacesLeft ?? 0, places]
                : failure.Kind == FailureKind.Conflict ? T["Review.Conflict", failure.Detail] : failure.Detail;
            Response.StatusCode = failure.Kind switch
            {
                FailureKind.NotFound => StatusCodes.Status404NotFound,
                FailureKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status422UnprocessableEntity,
            };
            return Page();
        }
        Flash = T["Review.Done." + decision, ids.Count];
        return LocalRedirect(Here(id));
    }

    public async Task<IActionResult> OnPostWeightsAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        var weights = new ScoringWeights();
        foreach (var (name, _) in ApplicationScores.Named(Campaign.Scoring))
        {
            var typed = Request.Form[$"Weight.{name}"].ToString();
            WeightInputs[name] = typed;
            if (!decimal.TryParse(typed.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var weight)
                || weight > 100 || decimal.Round(weight, 4) != weight)
            {
                Errors[$"Weight.{name}"] = T["Error.Weight"];
                continue;
            }
            switch (name)
            {
                case "reach": weights.Reach = weight; break;
                case "engagement": weights.Engagement = weight; break;
                case "motivation": weights.Motivation = weight; break;
                case "countryFit": weights.CountryFit = weight; break;
                default: weights.PastResults = weight; break;
            }
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        await decisions.SetWeightsAsync(id, weights, cancellationToken);
        Flash = T["Review.WeightsSaved"];
        return LocalRedirect(Here(id));
    }

    public async Task<IActionResult> OnPostRateAsync(string id, string? application, string? rating, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        int? value = rating is "" or "none" or null ? null : int.TryParse(rating, out var r) && r is >= 0 and <= 5 ? r : -1;
        if (value == -1 || application is null)
        {
            Problem = T["Error.Rating"];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var result = await decisions.RateAsync(id, application, value, cancellationToken);
        if (result.Failure is not null) return NotFound();
        return LocalRedirect(Here(id));
    }

    /// <summary>This page with the current filters, order and page number (where a form's answer goes back to).</summary>
    public string Here(string id, int? page = null)
    {
        var query = new List<string>();
        if (Status is not null) query.Add($"status={Status}");
        if (Country is not null) query.Add($"country={Country}");
        if (MinScore is not null) query.Add($"minScore={Uri.EscapeDataString(MinScore)}");
        if (Sort is not null) query.Add($"sort={Sort}");
        if ((page ?? PageNumber) > 1) query.Add($"p={page ?? PageNumber}");
        return $"/manage/campaigns/{id}/applications" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    /// <summary>A handler of this page, keeping the filters (a form's action).</summary>
    public string Handler(string id, string handler) => Here(id) is var here && here.Contains('?') ? $"{here}&handler={handler}" : $"{here}?handler={handler}";

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var campaign = Ids.LooksLike(id, "cmp") ? await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        if (campaign is null) return false;
        Campaign = campaign;
        ApplicationStatus? status = EnumNames.TryParse<ApplicationStatus>(Status ?? "", out var s) ? s : null;
        if (status is null) Status = null;
        string? country = Countries.TryNormalize(Country, out var c) ? c : null;
        Country = country;
        double? minScore = double.TryParse((MinScore ?? "").Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m) ? m : null;
        if (minScore is null) MinScore = null;
        if (Sort != "date") Sort = null;
        PageNumber = Math.Max(1, PageNumber);

        var review = await Review.ListAsync(db, campaign,
            new ReviewQuery(status, country, minScore, Sort == "date", (PageNumber - 1) * PageSize, PageSize), cancellationToken, details: true);
        Items = review.Items;
        Total = review.Total;
        Counts = await Review.CountsAsync(db, id, cancellationToken);
        CountryCodes = await Review.CountriesAsync(db, id, cancellationToken);
        return true;
    }
}
