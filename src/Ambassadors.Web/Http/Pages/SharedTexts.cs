namespace Ambassadors.Web.Http.Pages;

/// <summary>Words every page shares (the layout, common buttons); SharedTexts.resx (English) and SharedTexts.nl.resx (Dutch).</summary>
public sealed class SharedTexts;
