using Ambassadors.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Access.Pages;

/// <summary>GET shows a sign-out button; only the POST (with its antiforgery token) signs out.</summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<AppUser> signIn) : PageModel
{
    [TempData] public string? Notice { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        Notice = "You have signed out.";
        return LocalRedirect("/login");
    }
}
