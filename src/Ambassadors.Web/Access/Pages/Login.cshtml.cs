using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Access.Pages;

/// <summary>Email and password for staff and ambassadors; repeated failures lock the account for a while.</summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users) : PageModel
{
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
            Error = "The email or the password is not right.";
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : LocalRedirect(StaffSignIn.HomeOf(user.Role));
        }
        Error = result.IsLockedOut
            ? "Too many failed attempts: this account is locked for a few minutes. Try again later."
            : "The email or the password is not right.";
        return Page();
    }
}
