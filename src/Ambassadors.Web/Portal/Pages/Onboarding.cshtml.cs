using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Access.Pages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>
/// An invitation's link (<c>/portal/onboarding/{token}</c>): GET only shows the form to choose a password; the post
/// consumes the link, creates the ambassador's account, signs them in and opens the portal. A used, expired or unknown
/// link gets a page that says so and how to get a new one (410).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(StaffSignIn.SignInRateLimit)]
public sealed class OnboardingModel(PasswordLinks links, SignInManager<AppUser> signIn, StaffAdministration staff,
    IStringLocalizer<PortalTexts> texts, IStringLocalizer<AccessTexts> accessTexts, TimeProvider clock)
    : PasswordLinkPage(links, accessTexts, clock, AccessTokenPurpose.Invitation)
{
    protected override (string Required, string TooLong, string Mismatch) Refusals =>
        (texts["Onboarding.Error.PasswordRequired"], texts["Onboarding.Error.PasswordTooLong"], texts["Onboarding.Error.Mismatch"]);

    protected override async Task<IActionResult> SucceededAsync(AppUser user)
    {
        await signIn.SignInAsync(user, isPersistent: false);
        await staff.SignedInAsync(user, HttpContext.RequestAborted);
        TempData["PortalNotice"] = "Onboarding.Welcome";
        return LocalRedirect("/portal");
    }
}
