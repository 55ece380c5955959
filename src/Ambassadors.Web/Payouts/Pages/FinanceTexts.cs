namespace Ambassadors.Web.Payouts.Pages;

/// <summary>The words of the /finance pages: FinanceTexts.resx (English) and FinanceTexts.nl.resx (Dutch).</summary>
public sealed class FinanceTexts;
