using Ambassadors.Web.AmbassadorProfiles;

namespace Ambassadors.Web.Campaigns;

/// <summary>Members changed outside the campaign's grain (a removal, an import): the grain reads its record again.</summary>
public sealed class CampaignMembershipChanges(IGrainFactory grains) : IMembershipChanges
{
    public Task CampaignChangedAsync(string campaignId) => grains.GetGrain<ICampaignGrain>(campaignId).ReloadAsync();
}
