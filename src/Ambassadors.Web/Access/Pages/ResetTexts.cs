namespace Ambassadors.Web.Access.Pages;

/// <summary>The words of the password reset (/login/forgot, /login/reset/{token}): ResetTexts.resx (English) and ResetTexts.nl.resx (Dutch).</summary>
public sealed class ResetTexts;
