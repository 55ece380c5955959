using Ambassadors.Web.Recruitment;

namespace Ambassadors.Web.Campaigns;

/// <summary>Recruitment enrolled members or changed the score weights in the database: the campaign's grain reads its record again.</summary>
public sealed class CampaignChanged(IGrainFactory grains) : ICampaignChanged
{
    public Task ChangedAsync(string campaignId) => grains.GetGrain<ICampaignGrain>(campaignId).ReloadAsync();
}
