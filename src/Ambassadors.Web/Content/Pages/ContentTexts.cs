namespace Ambassadors.Web.Content.Pages;

/// <summary>The content pages' words (library, form, public page, the portal's piece): ContentTexts.resx and ContentTexts.nl.resx.</summary>
public sealed class ContentTexts;
