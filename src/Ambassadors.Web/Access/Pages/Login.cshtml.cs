using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Ambassadors.Web.Access.Pages;

/// <summary>
/// Email and password for staff and ambassadors; repeated failures lock the account for a short while, and each client
/// address may post only so many attempts a minute. A wrong password, an unknown email and a locked account get the same
/// page, words and status, so the page tells nobody which emails have accounts.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(StaffSignIn.SignInRateLimit)]
public sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, StaffAdministration staff, TimeProvider clock) : PageModel
{
    /// <summary>The one answer to a wrong password, an unknown email, a locked and a deactivated account (a key of AccessTexts).</summary>
    public const string NotSignedIn = "Login.NotSignedIn";

    /// <summary>Checked against the password when the email is unknown, so that answer takes as long as a wrong password.</summary>
    private static readonly Lazy<(AppUser User, string Hash)> Decoy = new(() =>
    {
        var user = new AppUser { Role = "", UserName = "decoy" };
        return (user, new PasswordHasher<AppUser>().HashPassword(user, Guid.NewGuid().ToString()));
    });

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    /// <summary>Followed after signing in only when it is a path on this site.</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>What went wrong, as a key of AccessTexts.</summary>
    public string? Error { get; private set; }
    /// <summary>A notice from the page before (signed out), as a key of AccessTexts.</summary>
    [TempData] public string? Notice { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "Login.Missing";
            return Page();
        }
        var user = await users.FindByEmailAsync(Email.Trim());
        // A deactivated account gets the same answer as an unknown email, after the same work.
        if (user is null || user.DeactivatedAt is not null)
        {
            users.PasswordHasher.VerifyHashedPassword(Decoy.Value.User, Decoy.Value.Hash, Password);
            Error = NotSignedIn;
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await staff.SignedInAsync(user, HttpContext.RequestAborted);
            // The language chosen in the portal's profile follows the person to any browser they sign in on.
            if (Localization.Find(user.Language) is { } language) Localization.Remember(Response, language, clock.GetUtcNow());
            return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : LocalRedirect(StaffSignIn.HomeOf(user.Role));
        }
        Error = NotSignedIn;
        return Page();
    }
}
