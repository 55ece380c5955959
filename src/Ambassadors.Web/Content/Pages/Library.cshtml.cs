using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Feedback;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Content.Pages;

/// <summary>A row of the library: the piece, where its links go, and its members' ratings.</summary>
public sealed record LibraryRow(ContentPiece Piece, string Destination, RatingSummary? Ratings);

/// <summary>/manage/campaigns/{id}/content: a campaign's pieces, newest first, paged; two queries and the ratings' one.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class LibraryModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public const int PerPage = 25;

    public string CampaignId { get; private set; } = "";
    public string CampaignName { get; private set; } = "";
    public IReadOnlyList<LibraryRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages { get; private set; } = 1;
    public DateTimeOffset Now { get; private set; }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    [TempData] public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var campaign = Ids.LooksLike(id, "cmp")
            ? await db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Name, c.DestinationUrl }).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (campaign is null) return NotFound();
        CampaignId = id;
        CampaignName = campaign.Name;
        var pieces = db.Content.AsNoTracking().Where(c => c.CampaignId == id);
        Total = await pieces.CountAsync(cancellationToken);
        Pages = Math.Max(1, (Total + PerPage - 1) / PerPage);
        if (PageNumber < 1 || PageNumber > Pages) return NotFound();
        var page = await pieces.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((PageNumber - 1) * PerPage).Take(PerPage).ToListAsync(cancellationToken);
        var figures = await FeedbackService.FiguresAsync(db, id, cancellationToken);
        Rows = page.Select(p => new LibraryRow(p, p.DestinationUrl ?? campaign.DestinationUrl, figures.PerPiece.GetValueOrDefault(p.Id))).ToList();
        Now = clock.GetUtcNow();
        return Page();
    }

    public string PageUrl(int page) => $"/manage/campaigns/{CampaignId}/content" + (page == 1 ? "" : $"?p={page}");
}
