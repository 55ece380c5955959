using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Data;

/// <summary>
/// Enrolling ambassadors in a campaign, as the campaign grain and the recruitment's accept both do it: places are held by
/// one conditional update of <see cref="Campaign.MemberCount"/>, then each member gets a membership, a campaign code and a
/// code per content piece. The caller owns the transaction, so several enrolments can be all or nothing.
/// </summary>
public static class Enrolment
{
    /// <summary>Takes <paramref name="places"/> places at once, or none: false when fewer are left (or no such campaign).</summary>
    public static async Task<bool> ReservePlacesAsync(AppDbContext db, string campaignId, int places, CancellationToken cancellationToken = default) =>
        places <= 0 || await db.Campaigns
            .Where(c => c.Id == campaignId && (c.Capacity == null || c.MemberCount + places <= c.Capacity))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.MemberCount, c => c.MemberCount + places)
                .SetProperty(c => c.Version, c => c.Version + 1), cancellationToken) > 0;

    /// <summary>Adds the membership and its codes to the context (saved by the caller).</summary>
    public static Membership Add(AppDbContext db, string campaignId, string ambassadorId, string campaignCode, string? referredBy,
        IEnumerable<string> contentIds, DateTimeOffset now)
    {
        var membership = new Membership { CampaignId = campaignId, AmbassadorId = ambassadorId, ReferralCode = campaignCode, JoinedAt = now, ReferredBy = referredBy };
        db.Memberships.Add(membership);
        db.ReferralCodes.Add(new ReferralCode { Code = campaignCode, AmbassadorId = ambassadorId, CampaignId = campaignId, CreatedAt = now });
        foreach (var contentId in contentIds)
        {
            db.ReferralCodes.Add(new ReferralCode
            {
                Code = ReferralCodeFormat.Generate(), AmbassadorId = ambassadorId, CampaignId = campaignId, ContentId = contentId, CreatedAt = now,
            });
        }
        return membership;
    }
}
