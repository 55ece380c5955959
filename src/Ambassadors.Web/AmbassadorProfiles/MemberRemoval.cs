using System.ComponentModel;
using System.Security.Claims;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles;

/// <summary>
/// Told when a campaign's members change outside its grain (a removal, an import), so whatever caches the campaign
/// reads it again. The campaigns feature implements it; this folder does not import that one (feature folders import one way).
/// </summary>
public interface IMembershipChanges
{
    Task CampaignChangedAsync(string campaignId);
}

/// <summary>
/// A manager removes a member from a campaign: <see cref="Membership.RemovedAt"/> is set once and the campaign's member
/// count goes down in the same transaction, so the place is free again (capacity is held by the count, see CampaignGrain).
/// Their links keep redirecting and counting clicks; conversions after the removal earn nothing (ConversionService says
/// why); earlier rewards stay.
/// </summary>
public static class MemberRemoval
{
    public const string AuditAction = "membership.removed";

    /// <summary>The outcome: NotFound (no such campaign, ambassador or membership), or whether this call removed them.</summary>
    public static async Task<Result<bool>> RemoveAsync(IDbContextFactory<AppDbContext> contexts, IMembershipChanges changes, TimeProvider clock,
        string campaignId, string ambassadorId, ChangedBy by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Memberships.AnyAsync(m => m.CampaignId == campaignId && m.AmbassadorId == ambassadorId, cancellationToken))
        {
            return Fail.NotFound($"Ambassador {ambassadorId} is not a member of campaign {campaignId}.");
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Only the first of two racing removals acts (and frees one place).
        var removed = await db.Memberships
            .Where(m => m.CampaignId == campaignId && m.AmbassadorId == ambassadorId && m.RemovedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.RemovedAt, now), cancellationToken);
        if (removed == 0) return Result<bool>.Ok(false);
        await db.Campaigns.Where(c => c.Id == campaignId && c.MemberCount > 0)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.MemberCount, c => c.MemberCount - 1)
                .SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Actor = by.Actor, ActorName = by.Name, Action = AuditAction,
            EntityType = "ambassador", EntityId = ambassadorId, Details = $"removed from campaign {campaignId}; earlier rewards kept",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.CampaignChangedAsync(campaignId);
        return Result<bool>.Ok(true);
    }

    /// <summary>Maps DELETE /api/v1/campaigns/{id}/ambassadors/{ambassadorId} on the campaigns' group (one line in CampaignApi).</summary>
    public static RouteHandlerBuilder MapMemberRemoval(this RouteGroupBuilder campaigns) =>
        campaigns.MapDelete("/{id}/ambassadors/{ambassadorId}", DeleteAsync)
            .WithName("RemoveAmbassadorFromCampaign")
            .Refuses(404)
            .WithSummary("Remove a member from a campaign")
            .WithDescription("204 whether this call removed them or they were removed before; 404 when they never were a member. " +
                "Their place is free again. Their links keep redirecting (and clicks are counted), but conversions after the removal " +
                "earn nothing (the conversion's rewardNote says why); rewards earned before stay.");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        [Description("The campaign id.")] string id, [Description("The ambassador id.")] string ambassadorId,
        IDbContextFactory<AppDbContext> contexts, IMembershipChanges changes, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cmp") || !Ids.LooksLike(ambassadorId, "amb"))
        {
            return Problems.NotFound($"Ambassador {ambassadorId} is not a member of campaign {id}.");
        }
        var result = await RemoveAsync(contexts, changes, clock, id, ambassadorId, new ChangedBy(user.Actor(), user.Identity?.Name), cancellationToken);
        return result.Failure is { } failure ? Problems.From(failure) : TypedResults.NoContent();
    }
}
