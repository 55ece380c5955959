using Ambassadors.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Access.Pages;

/// <summary>
/// GET shows a sign-out button; only the POST (with its antiforgery token) signs out. It ends the session on the server:
/// the account's security stamp changes, so every copy of its cookie (checked on each request) opens nothing any more.
/// </summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<AppUser> signIn, UserManager<AppUser> users) : PageModel
{
    [TempData] public string? Notice { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is { } user) await users.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        Notice = "Logout.Done";
        return LocalRedirect("/login");
    }
}
