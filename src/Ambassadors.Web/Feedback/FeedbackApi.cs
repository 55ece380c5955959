using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Feedback;

public static class FeedbackApi
{
    /// <summary>GET /api/v1/campaigns/{id}/feedback (mapped with the campaign's routes): average and count over all, entries newest first.</summary>
    public static async Task<Results<Ok<FeedbackList>, ProblemHttpResult>> ListAsync(
        string id, [AsParameters] Paging paging, AppDbContext db, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "cmp") || !await db.Campaigns.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return Problems.NotFound($"No campaign {id}.");
        }
        var figures = await FeedbackService.FiguresAsync(db, id, cancellationToken);
        var entries = await db.Feedback.AsNoTracking().Where(f => f.CampaignId == id)
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id)
            .Skip(paging.Skip).Take(paging.Take)
            .Select(f => new FeedbackView(f.Id, f.AmbassadorId, f.ContentId, f.Rating, f.Comment, f.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new FeedbackList(figures.All.Average, figures.All.Count, entries));
    }
}
