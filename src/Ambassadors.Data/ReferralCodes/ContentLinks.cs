using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Data;

/// <summary>
/// Every member of a campaign has one link (referral code) for every content piece of it. The database guarantees it,
/// not a grain: the unique key on (ambassador, campaign, content) allows one link per pair, and this idempotent backfill
/// adds the missing ones. Enrolment and publication each insert the links they know of in their own transaction and run
/// the backfill after committing; whichever commits last sees the other's rows, so a member who joins while a piece is
/// published (on any node) is never left without its link.
/// </summary>
public static class ContentLinks
{
    private const int Attempts = 8;

    /// <summary>Adds the missing member × piece links of a campaign; returns how many were added.</summary>
    public static async Task<int> BackfillAsync(IDbContextFactory<AppDbContext> contexts, string campaignId, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var missing = await (
                    from member in db.Memberships
                    where member.CampaignId == campaignId
                    from piece in db.Content
                    where piece.CampaignId == campaignId
                          && !db.ReferralCodes.Any(code => code.CampaignId == campaignId && code.AmbassadorId == member.AmbassadorId
                                                           && code.ContentId == piece.Id)
                    select new { member.AmbassadorId, ContentId = piece.Id })
                .ToListAsync(cancellationToken);
            if (missing.Count == 0) return 0;
            db.ReferralCodes.AddRange(missing.Select(link => new ReferralCode
            {
                Code = ReferralCodeFormat.Generate(),
                AmbassadorId = link.AmbassadorId,
                CampaignId = campaignId,
                ContentId = link.ContentId,
                CreatedAt = now,
            }));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return missing.Count;
            }
            catch (DbUpdateException e) when (attempt < Attempts && DbErrors.IsUniqueViolation(e))
            {
                // Another node's backfill added some of them first, or a generated code met an existing one: look again.
            }
        }
    }
}
