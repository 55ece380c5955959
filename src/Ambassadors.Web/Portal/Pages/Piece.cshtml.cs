using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Feedback;
using Ambassadors.Web.Feedback.Pages;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>A piece as a member reads it: the piece, the campaign's name, the embargo, and the member's own link (if any).</summary>
public sealed record MemberPiece(
    string Id, string CampaignId, string CampaignName, string Title, string? Body, string? MediaUrl, DateTimeOffset? EmbargoUntil, string? Link);

/// <summary>
/// /portal/content/{id}: a piece of one of my current campaigns, exclusive preview or not, with my link to it, my earlier
/// feedback and the feedback form. A piece of a campaign I am not in now is the plain 404 of a guessed id.
/// </summary>
public sealed class PieceModel(IDbContextFactory<AppDbContext> contexts, PublicLinks links, FeedbackService feedback,
    IStringLocalizer<FeedbackTexts> texts, TimeProvider clock) : FeedbackFormPage(feedback, texts)
{
    public MemberPiece Piece { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        await LoadMineAsync(User.AmbassadorId(), Piece.CampaignId, id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken) =>
        !await LoadAsync(id, cancellationToken)
            ? NotFound()
            : await GiveAsync(User.AmbassadorId(), Piece.CampaignId, id, $"/portal/content/{id}#feedback", cancellationToken);

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var me = User.AmbassadorId();
        if (!Ids.LooksLike(id, "cnt")) return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var piece = await (
                from c in db.Content.AsNoTracking()
                where c.Id == id
                join member in db.Memberships on c.CampaignId equals member.CampaignId
                where member.AmbassadorId == me && member.RemovedAt == null
                join campaign in db.Campaigns on c.CampaignId equals campaign.Id
                select new { c.Id, c.CampaignId, campaign.Name, c.Title, c.Body, c.MediaUrl, c.EmbargoUntil })
            .SingleOrDefaultAsync(cancellationToken);
        if (piece is null) return false;
        var code = await db.ReferralCodes.AsNoTracking().Where(r => r.AmbassadorId == me && r.ContentId == id)
            .Select(r => r.Code).FirstOrDefaultAsync(cancellationToken);
        Piece = new MemberPiece(piece.Id, piece.CampaignId, piece.Name, piece.Title, piece.Body, piece.MediaUrl, piece.EmbargoUntil,
            code is null ? null : links.For(code));
        Now = clock.GetUtcNow();
        return true;
    }
}
