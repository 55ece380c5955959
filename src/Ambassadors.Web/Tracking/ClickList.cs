using System.ComponentModel;
using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Tracking;

public sealed record ClickView(
    string Id, string Code, string AmbassadorId, string? ContentId, DateTimeOffset At, bool IsBot, bool Flagged,
    string VisitorId, string? AddressHash, string? UserAgent);

/// <summary>The raw clicks of a campaign, for reviewing what was flagged (a list, so a query, not a grain).</summary>
public static class ClickList
{
    /// <summary>GET /api/v1/campaigns/{id}/clicks (mapped with the campaign's routes).</summary>
    public static async Task<Results<Ok<Page<ClickView>>, ProblemHttpResult>> ListAsync(
        string id, [AsParameters] Paging paging,
        [Description("true: only flagged clicks; false: only unflagged ones.")] bool? flagged,
        AppDbContext db, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "cmp") || !await db.Campaigns.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return Problems.NotFound($"No campaign {id}.");
        }
        var clicks = db.Clicks.AsNoTracking().Where(c => c.CampaignId == id);
        if (flagged is { } f) clicks = clicks.Where(c => c.Flagged == f);
        var total = await clicks.CountAsync(cancellationToken);
        var page = await clicks.OrderByDescending(c => c.At).ThenBy(c => c.Id).Skip(paging.Skip).Take(paging.Take)
            .Select(c => new ClickView(c.Id, c.Code, c.AmbassadorId, c.ContentId, c.At, c.IsBot, c.Flagged, c.VisitorId, c.AddressHash, c.UserAgent))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ClickView>(page, total, paging.Take, paging.Skip));
    }
}
