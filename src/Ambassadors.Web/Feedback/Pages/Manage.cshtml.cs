using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Feedback.Pages;

/// <summary>A piece in the per-piece table and the filter.</summary>
public sealed record PieceRatings(string Id, string Title, RatingSummary Ratings);

/// <summary>
/// /manage/campaigns/{id}/feedback: the average and count, the 1-5 distribution (an SVG), averages per piece, and the
/// entries newest first (filter by piece or the campaign itself, paged).
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class ManageModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public const int PerPage = 25;

    /// <summary>The distribution chart's size (SVG units): a bar per rating, 5 stars on top.</summary>
    public const int ChartWidth = 360, RowHeight = 26, LabelWidth = 64, CountWidth = 48;

    public string CampaignId { get; private set; } = "";
    public string CampaignName { get; private set; } = "";
    public FeedbackFigures Figures { get; private set; } = null!;
    public IReadOnlyList<PieceRatings> Pieces { get; private set; } = [];
    public IReadOnlyList<FeedbackLine> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages { get; private set; } = 1;
    public DateTimeOffset Now { get; private set; }

    /// <summary>A piece's id, "campaign" for the campaign's own feedback, empty for all.</summary>
    [BindProperty(SupportsGet = true, Name = "about")] public string? About { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var campaign = Ids.LooksLike(id, "cmp")
            ? await db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Name }).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (campaign is null) return NotFound();
        (CampaignId, CampaignName) = (id, campaign.Name);
        Figures = await FeedbackService.FiguresAsync(db, id, cancellationToken);
        var titles = await db.Content.AsNoTracking().Where(c => c.CampaignId == id)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id, c.Title }).ToListAsync(cancellationToken);
        Pieces = titles.Select(t => new PieceRatings(t.Id, t.Title, Figures.PerPiece.GetValueOrDefault(t.Id) ?? RatingSummary.Of([]))).ToList();
        if (string.IsNullOrEmpty(About)) About = null;
        else if (About != FeedbackService.CampaignOnly && Pieces.All(p => p.Id != About)) return NotFound();

        var (entries, total) = await FeedbackService.EntriesAsync(db, id, About, 0, 0, cancellationToken);
        Total = total;
        Pages = Math.Max(1, (Total + PerPage - 1) / PerPage);
        if (PageNumber < 1 || PageNumber > Pages) return NotFound();
        (Entries, _) = await FeedbackService.EntriesAsync(db, id, About, (PageNumber - 1) * PerPage, PerPage, cancellationToken);
        Now = clock.GetUtcNow();
        return Page();
    }

    public string PageUrl(int page) =>
        $"/manage/campaigns/{CampaignId}/feedback" + QueryString.Create(
            new[] { ("about", About), ("p", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture)) }
                .Where(q => q.Item2 is not null).Select(q => new KeyValuePair<string, string?>(q.Item1, q.Item2)));

    /// <summary>The bar of <paramref name="stars"/> in the distribution: its width in SVG units, the longest filling the space.</summary>
    public double BarWidth(int stars)
    {
        var max = Figures.All.Distribution.Max();
        return max == 0 ? 0 : Math.Round((ChartWidth - LabelWidth - CountWidth) * (double)Figures.All.Distribution[stars - 1] / max, 1);
    }

    public static string Attribute(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
