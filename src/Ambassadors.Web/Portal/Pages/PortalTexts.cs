namespace Ambassadors.Web.Portal.Pages;

/// <summary>The words of the ambassadors' portal: PortalTexts.resx (English) and PortalTexts.nl.resx (Dutch).</summary>
public sealed class PortalTexts;
