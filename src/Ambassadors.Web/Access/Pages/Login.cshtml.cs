using Ambassadors.Data;
using Ambassadors.Web.Access;
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
public sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users) : PageModel
{
    public const string NotSignedIn = "The email or the password is not right. After 10 failed attempts an account is locked for a short while.";

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

    public string? Error { get; private set; }
    [TempData] public string? Notice { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your email and your password.";
            return Page();
        }
        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(Decoy.Value.User, Decoy.Value.Hash, Password);
            Error = NotSignedIn;
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : LocalRedirect(StaffSignIn.HomeOf(user.Role));
        }
        Error = NotSignedIn;
        return Page();
    }
}
