namespace Ambassadors.Web.Portal.Pages;

/// <summary>The words of "My links" (/portal/links): LinksTexts.resx (English) and LinksTexts.nl.resx (Dutch).</summary>
public sealed class LinksTexts;
