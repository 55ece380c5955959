using Ambassadors.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
    IStringLocalizer<AccessTexts> accessTexts, TimeProvider clock) : PageModel
{
    /// <summary>The notice /login shows after a reset (a key of AccessTexts).</summary>
    public const string ChangedNotice = "Login.PasswordChanged";

    [FromRoute] public string Token { get; set; } = "";
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    public LinkState State { get; private set; } = LinkState.Unknown;
    public string? Email { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();
    private Dictionary<string, List<string>> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await OpenAsync();
        return Answer();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await OpenAsync()) return Answer();
        if (string.IsNullOrEmpty(Password)) Error("password", texts["Reset.Error.PasswordRequired"]);
        else if (Password.Length > 200) Error("password", accessTexts["Staff.Error.PasswordTooLong"]);
        else if (Password != Confirm) Error("confirm", texts["Reset.Error.Mismatch"]);
        if (Errors.Count > 0) return Refused();

        var set = await links.SetPasswordAsync(Token, AccessTokenPurpose.PasswordReset, Password!, HttpContext.RequestAborted);
        if (set.State != LinkState.Usable)
        {
            State = set.State;
            return Answer();
        }
        if (!set.Succeeded)
        {
            foreach (var error in set.Errors)
            {
                var text = accessTexts["Staff.Error." + error.Code];
                Error("password", text.ResourceNotFound ? accessTexts["Staff.Error.Password"] : text);
            }
            return Refused();
        }
        // The account's sessions have ended with its security stamp; this browser's cookie goes too.
        await signIn.SignOutAsync();
        TempData["Notice"] = ChangedNotice;
        return LocalRedirect("/login");
    }

    private async Task<bool> OpenAsync()
    {
        var opened = await links.OpenAsync(Token, AccessTokenPurpose.PasswordReset, HttpContext.RequestAborted);
        (State, Email, ExpiresAt) = (opened.State, opened.Email, opened.Token?.ExpiresAt);
        return State == LinkState.Usable;
    }

    private IActionResult Answer()
    {
        if (State != LinkState.Usable) Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private void Error(string field, string message)
    {
        Errors.TryAdd(field, []);
        Errors[field].Add(message);
    }

    public IReadOnlyList<string> ErrorsOf(string field) => Errors.GetValueOrDefault(field) ?? [];
}
