using Ambassadors.Data;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Content;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.ReferralCodes;

/// <summary>What a code points at.</summary>
[GenerateSerializer, Immutable]
public sealed record CodeTarget(
    [property: Id(0)] string Code,
    [property: Id(1)] string AmbassadorId,
    [property: Id(2)] string CampaignId,
    [property: Id(3)] string? ContentId);

/// <summary>A code resolved for a redirect: its target, where it sends people now, and how long its clicks count.</summary>
[GenerateSerializer, Immutable]
public sealed record ResolvedCode(
    [property: Id(0)] CodeTarget Target,
    [property: Id(1)] string Destination,
    [property: Id(2)] int AttributionWindowDays);

/// <summary>One per normalised code (key "code:{CODE}"): the redirect's resolver.</summary>
public interface IReferralCodeGrain : IGrainWithStringKey
{
    /// <summary>The code's target and current destination, or null for a code nobody holds.</summary>
    Task<ResolvedCode?> ResolveAsync();

    /// <summary>Warms the grain with a target just stored in the database.</summary>
    Task AssignAsync(CodeTarget target);
}

[GenerateSerializer]
public sealed class ReferralCodeState
{
    [Id(0)] public CodeTarget? Target { get; set; }
}

public sealed class ReferralCodeGrain(
    [PersistentState("referralCode", "grains")] IPersistentState<ReferralCodeState> state,
    IDbContextFactory<AppDbContext> contexts,
    IGrainFactory grains) : Grain, IReferralCodeGrain
{
    public async Task<ResolvedCode?> ResolveAsync()
    {
        if (state.State.Target is null)
        {
            var code = this.GetPrimaryKeyString()["code:".Length..];
            await using var db = await contexts.CreateDbContextAsync();
            var row = await db.ReferralCodes.AsNoTracking().SingleOrDefaultAsync(c => c.Code == code);
            if (row is null) return null;
            state.State.Target = new CodeTarget(row.Code, row.AmbassadorId, row.CampaignId, row.ContentId);
            await state.WriteStateAsync();
        }
        var target = state.State.Target;
        var campaign = await grains.GetGrain<ICampaignGrain>(target.CampaignId).GetAsync();
        if (campaign is null) return null;
        var destination = target.ContentId is { } contentId
            ? await grains.GetGrain<IContentGrain>(contentId).GetDestinationAsync()
            : campaign.DestinationUrl;
        return destination is null ? null : new ResolvedCode(target, destination, campaign.AttributionWindowDays);
    }

    public async Task AssignAsync(CodeTarget target)
    {
        if (state.State.Target == target) return;
        state.State.Target = target;
        await state.WriteStateAsync();
    }
}
