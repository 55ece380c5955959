using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles;

/// <summary>One of an ambassador's tracked links, with the removal of its membership (null while they are a member).</summary>
public sealed record AmbassadorLink(
    string Code, string CampaignId, string? ContentId, string? ContentTitle, DateTimeOffset? RemovedAt, DateTimeOffset? EmbargoUntil = null);

public static class AmbassadorLinks
{
    /// <summary>Per campaign (by id), the campaign link first, then its content pieces in the order they were published.</summary>
    public static async Task<List<AmbassadorLink>> OfAsync(AppDbContext db, string ambassadorId, CancellationToken cancellationToken)
    {
        // From the memberships (every code has one: a foreign key) to their codes, both by index; the codes have no index
        // on the ambassador alone, so starting from them read every code of the programme.
        var rows = await (
                from membership in db.Memberships.AsNoTracking()
                where membership.AmbassadorId == ambassadorId
                join code in db.ReferralCodes on new { membership.CampaignId, membership.AmbassadorId } equals new { code.CampaignId, code.AmbassadorId }
                join content in db.Content on code.ContentId equals content.Id into pieces
                from piece in pieces.DefaultIfEmpty()
                select new
                {
                    code.Code, code.CampaignId, code.ContentId, Title = piece == null ? null : piece.Title, code.CreatedAt,
                    Embargo = piece == null ? null : piece.EmbargoUntil,
                    membership.RemovedAt,
                })
            .ToListAsync(cancellationToken);
        return rows
            .OrderBy(r => r.CampaignId, StringComparer.Ordinal)
            .ThenBy(r => r.ContentId is not null)
            .ThenBy(r => r.CreatedAt)
            .ThenBy(r => r.ContentId, StringComparer.Ordinal)
            .Select(r => new AmbassadorLink(r.Code, r.CampaignId, r.ContentId, r.Title, r.RemovedAt, r.Embargo))
            .ToList();
    }
}
