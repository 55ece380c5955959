namespace Ambassadors.Web.Missions.Pages;

/// <summary>The missions pages' texts (MissionTexts.resx, MissionTexts.nl.resx), for the managers' pages and the portal's alike.</summary>
public sealed class MissionTexts;
