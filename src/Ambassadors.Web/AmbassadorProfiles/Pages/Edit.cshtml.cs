using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.AmbassadorProfiles.Pages;

/// <summary>One social profile row of the edit form, as typed (followers as text, so "12k" is an error, not a zero).</summary>
public sealed class ProfileRow
{
    public string? Network { get; set; }
    public string? Handle { get; set; }
    public string? Followers { get; set; }
    public bool Remove { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Network) && string.IsNullOrWhiteSpace(Handle) && string.IsNullOrWhiteSpace(Followers);

    /// <summary>
    /// The rows as the shared rules take them (<see cref="ProfileRules.SocialProfiles"/>): followers that are not a whole
    /// number are refused under socialProfiles[i].followers. Used by every form that edits social profiles.
    /// </summary>
    public static List<SocialProfileRecord> Profiles(Validation check, IReadOnlyList<ProfileRow> rows)
    {
        var requested = rows.Select((row, i) =>
        {
            long? followers = null;
            if (long.TryParse(row.Followers?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)) followers = count;
            else if (!string.IsNullOrWhiteSpace(row.Followers)) check.Add($"socialProfiles[{i}].followers", "not a whole number");
            return (SocialProfileRequest?)new SocialProfileRequest(row.Network, row.Handle, followers ?? (string.IsNullOrWhiteSpace(row.Followers) ? null : 0));
        }).ToList();
        return ProfileRules.SocialProfiles(check, requested);
    }

    /// <summary>The stored profiles as rows, followed by an empty row to add one.</summary>
    public static List<ProfileRow> Of(IEnumerable<SocialProfileRecord> profiles) => profiles
        .Select(p => new ProfileRow { Network = p.Network, Handle = p.Handle, Followers = p.Followers.ToString(CultureInfo.InvariantCulture) })
        .Append(new ProfileRow()).ToList();
}

/// <summary>
/// Edit an ambassador's profile through the same checks and the same grain call as PATCH /api/v1/ambassadors/{id}
/// (ProfileRules, IAmbassadorGrain.UpdateAsync, which audits the change). Rows are added with a button, no script needed.
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class EditModel(IGrainFactory grains, IStringLocalizer<AmbassadorTexts> texts) : PageModel
{
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Country { get; set; }
    [BindProperty] public List<ProfileRow> Rows { get; set; } = [];

    public string Current { get; private set; } = "";
    public string? Problem { get; private set; }
    private Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is not { } ambassador) return NotFound();
        (Name, Email, Country) = (ambassador.Name, ambassador.Email, ambassador.Country);
        Rows = ProfileRow.Of(ambassador.SocialProfiles);
        return Page();
    }

    public async Task<IActionResult> OnPostAddRowAsync()
    {
        if (await LoadAsync() is null) return NotFound();
        Rows = Rows.Where(r => !r.Remove).Append(new ProfileRow()).ToList();
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is null) return NotFound();
        ModelState.Clear();
        Rows = Rows.Where(r => !r.Remove && !r.IsBlank).ToList();
        var check = new Validation();
        var name = check.Required("name", Name, ProfileRules.MaxName);
        var email = check.Email("email", Email);
        var country = ProfileRules.Country(check, Country);
        var profiles = ProfileRow.Profiles(check, Rows);
        if (check.IsValid)
        {
            var by = User.PageActor();
            var result = await grains.GetGrain<IAmbassadorGrain>(Id)
                .UpdateAsync(new AmbassadorChanges(name, email, country, country is null, profiles), new ChangedBy(by.Id, by.Name));
            if (result.Failure is null) return Redirect($"/manage/ambassadors/{Uri.EscapeDataString(Id)}");
            if (result.Failure.Kind == FailureKind.NotFound) return NotFound();
            Add(result.Failure.Field ?? "", result.Failure.Kind == FailureKind.Conflict ? texts["Error.emailTaken"] : texts["Error.other"]);
        }
        foreach (var (field, _) in check.Errors) Add(field, Message(field));
        Problem = texts["Edit.NotSaved"];
        Rows.Add(new ProfileRow());
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public IReadOnlyList<string> ErrorsOf(string field) => _errors.GetValueOrDefault(field) ?? [];

    /// <summary>The readable message for a field the shared checks refused, in the page's language.</summary>
    private string Message(string field)
    {
        var last = field.Split('.').Last();
        return field == "socialProfiles" ? texts["Error.tooMany", ProfileRules.MaxSocialProfiles]
            : last is "name" or "email" or "country" or "network" or "handle" or "followers" ? texts["Error." + last]
            : texts["Error.other"];
    }

    private void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }

    private async Task<AmbassadorRecord?> LoadAsync()
    {
        if (!Ids.LooksLike(Id, "amb")) return null;
        var ambassador = await grains.GetGrain<IAmbassadorGrain>(Id).GetAsync();
        Current = ambassador?.Name ?? "";
        return ambassador;
    }
}
