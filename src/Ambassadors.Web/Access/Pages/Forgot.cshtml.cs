using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Access.Pages;

/// <summary>
/// "Forgot your password?" for everyone who signs in (staff and ambassadors): the form takes an email and always answers
/// with the same page, so it tells nobody which emails have accounts. An active account gets a single-use link to
/// /login/reset/{token} (an hour) in the outbox; an unknown email or a deactivated account gets nothing.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(StaffSignIn.SignInRateLimit)]
public sealed class ForgotModel(AppDbContext db, UserManager<AppUser> users, PublicLinks links, TimeProvider clock,
    IStringLocalizer<ResetTexts> texts) : PageModel
{
    [BindProperty] public string? Email { get; set; }

    /// <summary>What is wrong with the email as typed, as a key of ResetTexts.</summary>
    public string? Error { get; private set; }
    /// <summary>The one answer page, whatever the email.</summary>
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var email = Email?.Trim() ?? "";
        if (email.Length == 0) Error = "Forgot.Error.Required";
        else if (email.Length > 254 || email.IndexOf('@') is <= 0 || email.EndsWith('@')) Error = "Forgot.Error.Email";
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var user = await users.FindByEmailAsync(email);
        if (user is { DeactivatedAt: null, Email: { } to })
        {
            var now = clock.GetUtcNow();
            var (token, row) = AccessTokens.Issue(AccessTokenPurpose.PasswordReset, null, user.Id, now, AccessTokens.PasswordResetLifetime);
            db.AccessTokens.Add(row);
            var url = links.Absolute($"/login/reset/{token}");
            db.Outbox.Add(new OutboxMessage
            {
                Id = Ids.New("msg"),
                Kind = OutboxKind.PasswordReset,
                To = to,
                // In the language the account chose in its profile, else the one the form was asked in.
                Subject = InLanguage(user, () => texts["Mail.Subject"].Value),
                Body = InLanguage(user, () => texts["Mail.Body", $"{row.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", url].Value),
                Link = url,
                CreatedAt = now,
            });
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        Sent = true;
        return Page();
    }

    private static string InLanguage(AppUser user, Func<string> text)
    {
        var current = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Localization.Find(user.Language) ?? current;
        try
        {
            return text();
        }
        finally
        {
            CultureInfo.CurrentUICulture = current;
        }
    }
}
