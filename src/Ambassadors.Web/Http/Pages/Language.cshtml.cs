using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Http.Pages;

/// <summary>
/// The language switch of every page (a form in the layout): remembers the choice in ASP.NET Core's culture cookie for a
/// year and goes back to the page it came from. Only a path on this site is followed; anything else goes to /login.
/// Signing out leaves the cookie alone, so the choice outlives the session.
/// </summary>
[AllowAnonymous]
public sealed class LanguageModel(TimeProvider clock) : PageModel
{
    [BindProperty] public string? Culture { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>Nothing changes on a GET: back to where it came from.</summary>
    public IActionResult OnGet() => LocalRedirect(Back);

    public IActionResult OnPost()
    {
        var chosen = Localization.Cultures.FirstOrDefault(c => string.Equals(c.Name, Culture, StringComparison.OrdinalIgnoreCase));
        if (chosen is null) return BadRequest();
        Response.Cookies.Append(Localization.CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions
            {
                Expires = clock.GetUtcNow().AddYears(1),
                MaxAge = TimeSpan.FromDays(365),
                Path = "/",
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = Request.IsHttps,
                IsEssential = true,
            });
        return LocalRedirect(Back);
    }

    private string Back => Url.IsLocalUrl(ReturnUrl) && !ReturnUrl.StartsWith("/language", StringComparison.OrdinalIgnoreCase) ? ReturnUrl : "/login";
}
