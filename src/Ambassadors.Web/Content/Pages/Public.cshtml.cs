using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Content.Pages;

/// <summary>A piece as everyone may read it: no ambassador's data, only the piece and its campaign's name.</summary>
public sealed record PublicPiece(string Id, string Title, string? Body, string? MediaUrl, string CampaignName, DateTimeOffset PublishedAt);

/// <summary>
/// /content/{id}: the piece's public page, for anyone (no sign-in). While its embargo lasts it is the same 404 as an unknown
/// id, for everyone: members read it in their portal. One query, no grain.
/// </summary>
[AllowAnonymous]
public sealed class PublicModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public PublicPiece Piece { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cnt")) return NotFound();
        Now = clock.GetUtcNow();
        var piece = await (
                from c in db.Content.AsNoTracking()
                where c.Id == id
                join campaign in db.Campaigns on c.CampaignId equals campaign.Id
                select new { c.Id, c.Title, c.Body, c.MediaUrl, campaign.Name, c.CreatedAt, c.EmbargoUntil })
            .SingleOrDefaultAsync(cancellationToken);
        if (piece is null || piece.EmbargoUntil > Now) return NotFound();
        Piece = new PublicPiece(piece.Id, piece.Title, piece.Body, piece.MediaUrl, piece.Name, piece.EmbargoUntil ?? piece.CreatedAt);
        return Page();
    }
}
