using Microsoft.AspNetCore.Authorization;
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
        var chosen = Localization.Find(Culture);
        if (chosen is null) return BadRequest();
        Localization.Remember(Response, chosen, clock.GetUtcNow());
        return LocalRedirect(Back);
    }

    private string Back => Url.IsLocalUrl(ReturnUrl) && !ReturnUrl.StartsWith("/language", StringComparison.OrdinalIgnoreCase) ? ReturnUrl : "/login";
}
