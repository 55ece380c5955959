namespace Ambassadors.Web.Portal.Pages;

/// <summary>The words of the portal's earnings, statements and profile: EarningsTexts.resx (English) and EarningsTexts.nl.resx (Dutch).</summary>
public sealed class EarningsTexts;
