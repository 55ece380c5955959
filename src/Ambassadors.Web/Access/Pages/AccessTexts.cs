namespace Ambassadors.Web.Access.Pages;

/// <summary>The words of sign-in, sign-out and the staff pages: AccessTexts.resx (English) and AccessTexts.nl.resx (Dutch).</summary>
public sealed class AccessTexts;
