using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Access.Pages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
    IStringLocalizer<AccessTexts> accessTexts, TimeProvider clock) : PageModel
{
    [FromRoute] public string Token { get; set; } = "";
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    public LinkState State { get; private set; } = LinkState.Unknown;
    public string? Email { get; private set; }
    public string? Name { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();
    public Dictionary<string, List<string>> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await OpenAsync();
        return Answer();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await OpenAsync()) return Answer();
        if (string.IsNullOrEmpty(Password)) Error("password", "Onboarding.Error.PasswordRequired");
        else if (Password.Length > 200) Error("password", "Onboarding.Error.PasswordTooLong");
        else if (Password != Confirm) Error("confirm", "Onboarding.Error.Mismatch");
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var set = await links.SetPasswordAsync(Token, AccessTokenPurpose.Invitation, Password!, HttpContext.RequestAborted);
        if (set.State != LinkState.Usable)
        {
            State = set.State;
            return Answer();
        }
        if (!set.Succeeded)
        {
            foreach (var error in set.Errors)
            {
                var key = "Staff.Error." + error.Code;
                Errors.TryAdd("password", []);
                Errors["password"].Add(accessTexts[key].ResourceNotFound ? accessTexts["Staff.Error.Password"] : accessTexts[key]);
            }
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        await signIn.SignInAsync(set.User!, isPersistent: false);
        await staff.SignedInAsync(set.User!, HttpContext.RequestAborted);
        TempData["PortalNotice"] = "Onboarding.Welcome";
        return LocalRedirect("/portal");
    }

    private async Task<bool> OpenAsync()
    {
        var opened = await links.OpenAsync(Token, AccessTokenPurpose.Invitation, HttpContext.RequestAborted);
        (State, Email, Name, ExpiresAt) = (opened.State, opened.Email, opened.Name, opened.Token?.ExpiresAt);
        return State == LinkState.Usable;
    }

    private IActionResult Answer()
    {
        if (State != LinkState.Usable) Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }

    private void Error(string field, string key)
    {
        Errors.TryAdd(field, []);
        Errors[field].Add(HttpContext.RequestServices.GetRequiredService<IStringLocalizer<PortalTexts>>()[key]);
    }

    public IReadOnlyList<string> ErrorsOf(string field) => Errors.GetValueOrDefault(field) ?? [];
}
