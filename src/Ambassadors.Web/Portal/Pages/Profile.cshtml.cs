using System.Security.Claims;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Access;
using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.AmbassadorProfiles.Pages;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>
/// My profile (name, country, social profiles: the managers' rules, through the ambassador's grain, which audits), my
/// payout details (finance's rules, through the payout service, audited as the ambassador's own change) and my language
/// (kept on my account and set as the culture cookie, also at each sign-in). Three forms, each saved on its own.
/// </summary>
public sealed class ProfileModel(IGrainFactory grains, IPayoutService payouts, IDbContextFactory<AppDbContext> contexts,
    IStringLocalizer<EarningsTexts> texts, TimeProvider clock) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Country { get; set; }
    [BindProperty] public List<ProfileRow> Rows { get; set; } = [];
    [BindProperty] public PayoutForm Payout { get; set; } = new();
    [BindProperty] public string? Language { get; set; }
    [TempData(Key = "ProfileFlash")] public string? Flash { get; set; }

    public AmbassadorRecord Me { get; private set; } = null!;
    public PayoutDetailsView? Stored { get; private set; }
    /// <summary>Which form failed (profile, payout), so it stays open with its errors.</summary>
    public string? Failed { get; private set; }
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync()) return NotFound();
        FillProfile();
        FillPayout();
        return Page();
    }

    public async Task<IActionResult> OnPostAddRowAsync()
    {
        if (!await LoadAsync()) return NotFound();
        ModelState.Clear();
        Rows = Rows.Where(r => !r.Remove).Append(new ProfileRow()).ToList();
        FillPayout();
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync()
    {
        if (!await LoadAsync()) return NotFound();
        ModelState.Clear();
        Rows = Rows.Where(r => !r.Remove && !r.IsBlank).ToList();
        var check = new Validation();
        var name = check.Required("name", Name, ProfileRules.MaxName);
        var country = ProfileRules.Country(check, Country);
        var profiles = ProfileRow.Profiles(check, Rows);
        if (check.IsValid)
        {
            var by = User.PageActor();
            var result = await grains.GetGrain<IAmbassadorGrain>(Me.Id)
                .UpdateAsync(new AmbassadorChanges(name, null, country, country is null, profiles), new ChangedBy(by.Id, by.Name));
            if (result.Failure is null) return Saved("Profile.Saved");
            if (result.Failure.Kind == FailureKind.NotFound) return NotFound();
            Add("name", texts["Profile.Error.other"]);
        }
        foreach (var (field, _) in check.Errors) Add(field, ProfileMessage(field));
        Rows.Add(new ProfileRow());
        FillPayout();
        return Refused("profile");
    }

    public async Task<IActionResult> OnPostPayoutAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync()) return NotFound();
        ModelState.Clear();
        var form = Payout;
        var bank = form.Method != "paypal";
        // Only the chosen method's fields are sent; a box left empty keeps what is stored (it is never shown in full).
        var same = Stored?.Method == form.Method;
        var input = new PayoutDetailsInput(form.Method, form.LegalName, form.Country,
            bank ? Blank(form.Iban) ?? (same ? Stored!.Iban : null) : null,
            bank ? Blank(form.Bic) : null,
            bank ? null : Blank(form.PaypalEmail) ?? (same ? Stored!.PaypalEmail : null),
            form.RemoveTaxId ? null : Blank(form.TaxId) ?? Stored?.TaxId);
        var result = await payouts.SaveDetailsAsync(Me.Id, input, PortalActor(Me), cancellationToken);
        if (result.Succeeded) return Saved("Payout.Saved");
        if (result.Failure!.Kind == FailureKind.NotFound) return NotFound();
        foreach (var (field, _) in result.Failure.FieldErrors) Add("payout." + field, PayoutMessage(field, input));
        if (_errors.Count == 0) Add("payout.method", texts["Payout.Error.other"]);
        FillProfile();
        return Refused("payout");
    }

    public async Task<IActionResult> OnPostLanguageAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync()) return NotFound();
        if (Http.Localization.Find(Language) is not { } culture) return BadRequest();
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, culture.Name), cancellationToken);
        }
        Http.Localization.Remember(Response, culture, clock.GetUtcNow());
        return Saved("Language.Saved");
    }

    public IReadOnlyList<string> ErrorsOf(string field) => _errors.GetValueOrDefault(field) ?? [];

    public DateTimeOffset Now => clock.GetUtcNow();

    public string CurrentLanguage => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    public string? ValueOf(string field) => field switch
    {
        "legalName" => Payout.LegalName,
        "country" => Payout.Country,
        "iban" => Payout.Iban,
        "bic" => Payout.Bic,
        "paypalEmail" => Payout.PaypalEmail,
        "taxId" => Payout.TaxId,
        _ => null,
    };

    /// <summary>
    /// The ambassador as the payout service's audit actor: finance's audit log and payee page then read
    /// "Anna de Vries (ambassador)", with "ambassador:amb_…" under it (both at most 80 characters, as stored).
    /// </summary>
    public static Actor PortalActor(AmbassadorRecord me)
    {
        const string suffix = " (ambassador)";
        var name = me.Name.Length > 80 - suffix.Length ? me.Name[..(80 - suffix.Length - 1)] + "…" : me.Name;
        return new Actor($"ambassador:{me.Id}", name + suffix);
    }

    private IActionResult Saved(string key)
    {
        Flash = key;
        return Redirect("/portal/profile");
    }

    private IActionResult Refused(string form)
    {
        Failed = form;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private void FillProfile()
    {
        (Name, Country) = (Me.Name, Me.Country);
        Rows = ProfileRow.Of(Me.SocialProfiles);
    }

    /// <summary>The form to change the stored details: everything but the account number, PayPal email and tax id, which are never sent back.</summary>
    private void FillPayout() => Payout = Stored is { } d
        ? new PayoutForm { Method = d.Method, LegalName = d.LegalName, Country = d.Country, Bic = d.Bic }
        : new PayoutForm { Method = "bank", LegalName = Me.Name, Country = Me.Country };

    private async Task<bool> LoadAsync()
    {
        var me = await grains.GetGrain<IAmbassadorGrain>(User.AmbassadorId()).GetAsync();
        if (me is null) return false;
        Me = me;
        Stored = await payouts.GetDetailsAsync(me.Id, HttpContext.RequestAborted);
        return true;
    }

    /// <summary>The profile form's refusal of a field, in the page's language.</summary>
    private string ProfileMessage(string field)
    {
        var last = field.Split('.').Last();
        return field == "socialProfiles" ? texts["Profile.Error.tooMany", ProfileRules.MaxSocialProfiles]
            : last is "name" or "country" or "network" or "handle" or "followers" ? texts["Profile.Error." + last]
            : texts["Profile.Error.other"];
    }

    /// <summary>
    /// The payout service's refusal of a field as one sentence of the rule in the page's language (its own messages are
    /// the API's English); an IBAN from another country than the one chosen gets its own.
    /// </summary>
    private string PayoutMessage(string field, PayoutDetailsInput input)
    {
        if (field == "iban" && input.Iban is { } text && PayoutDetailsRules.NormalizeIban(text, out _) is { } iban
            && !string.Equals(iban[..2], input.Country?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return texts["Payout.Error.ibanCountry", iban[..2]];
        }
        return texts["Payout.Error." + field] is { ResourceNotFound: false } known ? known : texts["Payout.Error.other"];
    }

    private void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The payout details form as typed.</summary>
public sealed class PayoutForm
{
    public string? Method { get; set; }
    public string? LegalName { get; set; }
    public string? Country { get; set; }
    public string? Iban { get; set; }
    public string? Bic { get; set; }
    public string? PaypalEmail { get; set; }
    public string? TaxId { get; set; }
    public bool RemoveTaxId { get; set; }
}
