using Ambassadors.Data;
using Ambassadors.Web.Access.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Access;

/// <summary>
/// A page behind a single-use link that sets a password (the invitation's, the reset's): GET only opens the link and shows
/// the form; the post checks the two passwords, sets the password through <see cref="PasswordLinks"/> (which consumes the
/// link) and hands the account to <see cref="SucceededAsync"/>. Used, expired and unknown links answer 410 with the
/// page's explanation; a refused password answers 422 with the reasons beside its field, and the link still works.
/// </summary>
public abstract class PasswordLinkPage(PasswordLinks links, IStringLocalizer<AccessTexts> accessTexts, TimeProvider clock, AccessTokenPurpose purpose)
    : PageModel
{
    [FromRoute] public string Token { get; set; } = "";
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    public LinkState State { get; private set; } = LinkState.Unknown;
    public string? Email { get; private set; }
    public string? Name { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();
    private readonly Dictionary<string, List<string>> _errors = [];

    /// <summary>The sign-in pages' words (the password rules' refusals), for the page's own refusals too.</summary>
    protected IStringLocalizer<AccessTexts> AccessWords { get; } = accessTexts;

    /// <summary>The page's words for an empty password, a too long one and two that differ.</summary>
    protected abstract (string Required, string TooLong, string Mismatch) Refusals { get; }

    /// <summary>What happens once the password is set (sign in, or send to /login).</summary>
    protected abstract Task<IActionResult> SucceededAsync(AppUser user);

    public async Task<IActionResult> OnGetAsync()
    {
        await OpenAsync();
        return Answer();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await OpenAsync()) return Answer();
        if (string.IsNullOrEmpty(Password)) Error("password", Refusals.Required);
        else if (Password.Length > 200) Error("password", Refusals.TooLong);
        else if (Password != Confirm) Error("confirm", Refusals.Mismatch);
        if (_errors.Count > 0) return Refused();

        var set = await links.SetPasswordAsync(Token, purpose, Password!, HttpContext.RequestAborted);
        if (set.State != LinkState.Usable)
        {
            State = set.State;
            return Answer();
        }
        if (!set.Succeeded)
        {
            foreach (var error in set.Errors)
            {
                var text = AccessWords["Staff.Error." + error.Code];
                Error("password", text.ResourceNotFound ? AccessWords["Staff.Error.Password"] : text);
            }
            return Refused();
        }
        return await SucceededAsync(set.User!);
    }

    public IReadOnlyList<string> ErrorsOf(string field) => _errors.GetValueOrDefault(field) ?? [];

    private async Task<bool> OpenAsync()
    {
        var opened = await links.OpenAsync(Token, purpose, HttpContext.RequestAborted);
        (State, Email, Name, ExpiresAt) = (opened.State, opened.Email, opened.Name, opened.Token?.ExpiresAt);
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
        _errors.TryAdd(field, []);
        _errors[field].Add(message);
    }
}
