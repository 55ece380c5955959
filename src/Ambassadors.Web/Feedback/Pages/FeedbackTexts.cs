namespace Ambassadors.Web.Feedback.Pages;

/// <summary>The feedback pages' words (the managers' page, the portal's form): FeedbackTexts.resx and FeedbackTexts.nl.resx.</summary>
public sealed class FeedbackTexts;
