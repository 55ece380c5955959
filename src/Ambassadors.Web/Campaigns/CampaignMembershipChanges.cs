using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.Recruitment;

namespace Ambassadors.Web.Campaigns;

/// <summary>
/// A campaign's record changed in the database outside its grain (a removal or an import in AmbassadorProfiles, an
/// accept or new score weights in Recruitment): the grain reads its record again. Those folders name the interface,
/// this folder implements it, so neither imports Campaigns.
/// </summary>
public sealed class CampaignMembershipChanges(IGrainFactory grains) : IMembershipChanges, ICampaignChanged
{
    public Task CampaignChangedAsync(string campaignId) => ChangedAsync(campaignId);

    public Task ChangedAsync(string campaignId) => grains.GetGrain<ICampaignGrain>(campaignId).ReloadAsync();
}
