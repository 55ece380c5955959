namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>The campaign pages' words: CampaignTexts.resx (English) and CampaignTexts.nl.resx (Dutch), the same keys in both.</summary>
public sealed class CampaignTexts;
