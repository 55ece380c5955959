using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Access.Pages;

/// <summary>
/// Admins manage the staff accounts: list them, create one, deactivate (after a confirmation; the account's sessions end
/// at once), reactivate, and change a role. The rules are <see cref="StaffAdministration"/>'s.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class StaffModel(StaffAdministration staff, UserManager<AppUser> users, IStringLocalizer<AccessTexts> texts,
    IStringLocalizer<Ambassadors.Web.Http.Pages.SharedTexts> shared) : PageModel
{
    public IReadOnlyList<StaffMember> Members { get; private set; } = [];

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Password { get; set; }
    /// <summary>The account acted on (deactivate, reactivate, role), and the confirmation's answer.</summary>
    [BindProperty] public string? UserId { get; set; }
    [BindProperty] public string? Confirmed { get; set; }

    [TempData] public string? Flash { get; set; }
    public string? Problem { get; private set; }
    /// <summary>The account waiting for the confirmation of its deactivation.</summary>
    public StaffMember? Confirm { get; private set; }
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public string? Me => users.GetUserId(User);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Members = await staff.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var check = new Validation();
        var email = check.Email("email", Email);
        if (!check.IsValid) Error("email", "Staff.Error.Email");
        if (Role is null || !StaffAccounts.Roles.Contains(Role)) Error("role", "Staff.Error.Role");
        if (string.IsNullOrEmpty(Password)) Error("password", "Staff.Error.PasswordRequired");
        else if (Password.Length > 200) Error("password", "Staff.Error.PasswordTooLong");
        if (Errors.Count == 0 && await users.FindByEmailAsync(email) is not null) Error("email", "Staff.Error.EmailTaken");
        if (Errors.Count == 0)
        {
            var (result, user) = await staff.CreateAsync(email, Password!, Role!, StaffActor.Of(User));
            if (user is not null)
            {
                Flash = texts["Staff.Created.Flash", email, shared["Layout.Role." + Role]];
                return RedirectToPage();
            }
            foreach (var error in result.Errors)
            {
                if (error.Code is "DuplicateEmail" or "DuplicateUserName") Error("email", "Staff.Error.EmailTaken");
                else if (error.Code is "InvalidEmail" or "InvalidUserName") Error("email", "Staff.Error.Email");
                else Error("password", texts["Staff.Error." + error.Code].ResourceNotFound ? "Staff.Error.Password" : "Staff.Error." + error.Code);
            }
        }
        Problem = texts["Staff.Invalid"];
        return await ShowAsync(StatusCodes.Status422UnprocessableEntity, cancellationToken);
    }

    public async Task<IActionResult> OnPostDeactivateAsync(CancellationToken cancellationToken)
    {
        var id = UserId ?? "";
        if (Confirmed != id)
        {
            Members = await staff.ListAsync(cancellationToken);
            Confirm = Members.FirstOrDefault(m => m.Id == id);
            if (Confirm is null) return await RefusedAsync(StaffChange.NotFound, null, cancellationToken);
            return Page();
        }
        var (change, user) = await staff.DeactivateAsync(id, StaffActor.Of(User), cancellationToken);
        return await DoneAsync(change, user, "Staff.Deactivated.Flash", cancellationToken);
    }

    public async Task<IActionResult> OnPostReactivateAsync(CancellationToken cancellationToken)
    {
        var (change, user) = await staff.ReactivateAsync(UserId ?? "", StaffActor.Of(User), cancellationToken);
        return await DoneAsync(change, user, "Staff.Reactivated.Flash", cancellationToken);
    }

    public async Task<IActionResult> OnPostRoleAsync(CancellationToken cancellationToken)
    {
        if (Role is null || !StaffAccounts.Roles.Contains(Role))
        {
            Problem = texts["Staff.Error.Role"];
            return await ShowAsync(StatusCodes.Status422UnprocessableEntity, cancellationToken);
        }
        var (change, user) = await staff.ChangeRoleAsync(UserId ?? "", Role, StaffActor.Of(User), cancellationToken);
        return await DoneAsync(change, user, "Staff.Role.Flash", cancellationToken);
    }

    private void Error(string field, string key)
    {
        if (!Errors.TryGetValue(field, out var list)) Errors[field] = list = [];
        if (!list.Contains(texts[key])) list.Add(texts[key]);
    }

    public IReadOnlyList<string> ErrorsOf(string field) => Errors.GetValueOrDefault(field) ?? [];

    private async Task<IActionResult> DoneAsync(StaffChange change, AppUser? user, string flash, CancellationToken cancellationToken)
    {
        if (change is not (StaffChange.Changed or StaffChange.Unchanged)) return await RefusedAsync(change, user, cancellationToken);
        var role = shared["Layout.Role." + user!.Role];
        Flash = change == StaffChange.Unchanged ? texts["Staff.Unchanged.Flash", user.Email ?? ""] : texts[flash, user.Email ?? "", role];
        return RedirectToPage();
    }

    private async Task<IActionResult> RefusedAsync(StaffChange change, AppUser? user, CancellationToken cancellationToken)
    {
        (Problem, var status) = change switch
        {
            StaffChange.Self => (texts["Staff.Refused.Self"].Value, StatusCodes.Status409Conflict),
            StaffChange.LastAdmin => (texts["Staff.Refused.LastAdmin", user?.Email ?? ""].Value, StatusCodes.Status409Conflict),
            _ => (texts["Staff.Refused.NotFound"].Value, StatusCodes.Status404NotFound),
        };
        return await ShowAsync(status, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(int status, CancellationToken cancellationToken)
    {
        Members = await staff.ListAsync(cancellationToken);
        Response.StatusCode = status;
        return Page();
    }
}
