using Ambassadors.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Access.Pages;

/// <summary>
/// A password-reset link (<c>/login/reset/{token}</c>): GET only shows the form; the post sets the new password through
/// <see cref="PasswordLinks"/> (single use; the account's other links, an ambassador's invitations too, stop working; the
/// security stamp changes, so every session of the account ends) and sends the person to /login to sign in with it.
/// A used, expired or unknown link gets a page that says so and points to /login/forgot (410).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(StaffSignIn.SignInRateLimit)]
public sealed class ResetModel(PasswordLinks links, SignInManager<AppUser> signIn, IStringLocalizer<ResetTexts> texts,
    IStringLocalizer<AccessTexts> accessTexts, TimeProvider clock) : PasswordLinkPage(links, accessTexts, clock, AccessTokenPurpose.PasswordReset)
{
    /// <summary>The notice /login shows after a reset (a key of AccessTexts).</summary>
    public const string ChangedNotice = "Login.PasswordChanged";

    protected override (string Required, string TooLong, string Mismatch) Refusals =>
        (texts["Reset.Error.PasswordRequired"], AccessWords["Staff.Error.PasswordTooLong"], texts["Reset.Error.Mismatch"]);

    protected override async Task<IActionResult> SucceededAsync(AppUser user)
    {
        // The account's sessions have ended with its security stamp; this browser's cookie goes too.
        await signIn.SignOutAsync();
        TempData["Notice"] = ChangedNotice;
        return LocalRedirect("/login");
    }
}
