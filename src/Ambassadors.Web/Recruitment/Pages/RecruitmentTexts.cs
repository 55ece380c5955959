namespace Ambassadors.Web.Recruitment.Pages;

/// <summary>The words of the application form, the review page and the outbox: RecruitmentTexts.resx (English) and RecruitmentTexts.nl.resx (Dutch).</summary>
public sealed class RecruitmentTexts;
