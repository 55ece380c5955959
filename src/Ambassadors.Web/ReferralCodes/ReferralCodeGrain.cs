using Ambassadors.Data;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Content;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.ReferralCodes;

/// <summary>A code resolved for a redirect: its target, where it sends people now, and how long its clicks count.</summary>
[GenerateSerializer, Immutable]
public sealed record ResolvedCode(
    [property: Id(0)] CodeTarget Target,
    [property: Id(1)] string Destination,
    [property: Id(2)] int AttributionWindowDays);

/// <summary>One per normalised code (key "code:{CODE}", see <see cref="ReferralCodeGrain.KeyOf"/>): the redirect's resolver.</summary>
public interface IReferralCodeGrain : IGrainWithStringKey
{
    /// <summary>The code's target and current destination, or null for a code nobody holds.</summary>
    Task<ResolvedCode?> ResolveAsync();
}

[GenerateSerializer]
public sealed class ReferralCodeState
{
    /// <summary>What the code points at: never changes once stored, so it is loaded once (docs/decisions.md).</summary>
    [Id(0)] public CodeTarget? Target { get; set; }
}

public sealed class ReferralCodeGrain(
    [PersistentState("referralCode", "grains")] IPersistentState<ReferralCodeState> state,
    IDbContextFactory<AppDbContext> contexts,
    IGrainFactory grains) : Grain, IReferralCodeGrain
{
    private const string KeyPrefix = "code:";

    /// <summary>The grain key: a non-hex prefix keeps Orleans' ADO.NET storage from reading the key as a number.</summary>
    public static string KeyOf(string normalizedCode) => KeyPrefix + normalizedCode;

    public async Task<ResolvedCode?> ResolveAsync()
    {
        if (state.State.Target is null)
        {
            var code = this.GetPrimaryKeyString()[KeyPrefix.Length..];
            await using var db = await contexts.CreateDbContextAsync();
            var row = await db.ReferralCodes.AsNoTracking().SingleOrDefaultAsync(c => c.Code == code);
            if (row is null) return null;
            state.State.Target = new CodeTarget(row.Code, row.AmbassadorId, row.CampaignId, row.ContentId);
            await state.WriteStateAsync();
        }
        var target = state.State.Target;
        var campaign = await grains.GetGrain<ICampaignGrain>(target.CampaignId).GetAsync();
        if (campaign is null) return null;
        var destination = campaign.DestinationUrl;
        if (target.ContentId is { } contentId)
        {
            if (await grains.GetGrain<IContentGrain>(contentId).GetAsync() is not { } piece) return null;
            destination = piece.DestinationUrl ?? destination;
        }
        return new ResolvedCode(target, destination, campaign.AttributionWindowDays);
    }
}
