namespace Ambassadors.Web.Programme.Pages;

/// <summary>The results pages' words: ResultsTexts.resx (English) and ResultsTexts.nl.resx (Dutch), the same keys in both.</summary>
public sealed class ResultsTexts;
