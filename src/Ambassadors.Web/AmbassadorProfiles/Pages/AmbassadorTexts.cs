namespace Ambassadors.Web.AmbassadorProfiles.Pages;

/// <summary>The texts of the ambassadors' pages (AmbassadorTexts.resx, AmbassadorTexts.nl.resx).</summary>
public sealed class AmbassadorTexts;
