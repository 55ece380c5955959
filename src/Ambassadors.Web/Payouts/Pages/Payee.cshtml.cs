using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Payouts.Pages;

/// <summary>View and edit a payee's payout details (bank or PayPal); every change is audited by the payout service.</summary>
public sealed class PayeeModel(IPayoutService payouts, IDbContextFactory<AppDbContext> contexts, IStringLocalizer<FinanceTexts> texts) : PageModel
{
    /// <summary>The text fields besides the method: form name and input type (label and placeholder: FinanceTexts' Payee.Field.* and Payee.Hint.*).</summary>
    public static readonly IReadOnlyList<(string Field, string Type)> Fields =
    [
        ("legalName", "text"),
        ("country", "text"),
        ("iban", "text"),
        ("bic", "text"),
        ("paypalEmail", "email"),
        ("taxId", "text"),
    ];

    [FromRoute] public string AmbassadorId { get; set; } = "";
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? LegalName { get; set; }
    [BindProperty] public string? Country { get; set; }
    [BindProperty] public string? Iban { get; set; }
    [BindProperty] public string? Bic { get; set; }
    [BindProperty] public string? PaypalEmail { get; set; }
    [BindProperty] public string? TaxId { get; set; }
    [TempData] public string? Flash { get; set; }

    /// <summary>The ambassador's name and email, for the heading (whether or not details are stored or money is owed).</summary>
    public (string Name, string Email) Payee { get; private set; }
    public PayoutDetailsView? Stored { get; private set; }
    public IReadOnlyList<MissingDetailsView> Owed { get; private set; } = [];
    public string? Problem { get; private set; }
    public IReadOnlyList<string> OtherErrors { get; private set; } = [];
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return NotFound();
        if (Stored is { } details)
        {
            (Method, LegalName, Country, Iban, Bic, PaypalEmail, TaxId) =
                (details.Method, details.LegalName, details.Country, details.Iban, details.Bic, details.PaypalEmail, details.TaxId);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var input = new PayoutDetailsInput(Method, LegalName, Country, Blank(Iban), Blank(Bic), Blank(PaypalEmail), Blank(TaxId));
        var result = await payouts.SaveDetailsAsync(AmbassadorId, input, User.PageActor(), cancellationToken);
        if (result.Succeeded)
        {
            Flash = texts["Payee.Saved"];
            return Redirect($"/finance/payees/{Uri.EscapeDataString(AmbassadorId)}");
        }
        var failure = result.Failure!;
        if (failure.Kind == FailureKind.NotFound || !await LoadAsync(cancellationToken)) return NotFound();
        Problem = failure.FieldErrors.Count > 0 ? texts["Payee.NotSaved"] : FinanceDisplay.Explain(failure, texts);
        _errors = failure.FieldErrors;
        var known = Fields.Select(f => f.Field).Append("method").ToHashSet(StringComparer.OrdinalIgnoreCase);
        OtherErrors = _errors.Where(e => !known.Contains(e.Key)).SelectMany(e => FinanceDisplay.Explain(e.Key, e.Value, texts)).ToList();
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public IReadOnlyList<string> ErrorsOf(string field) =>
        _errors.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).SelectMany(e => FinanceDisplay.Explain(field, e.Value, texts)).ToList();

    public string? ValueOf(string field) => field switch
    {
        "legalName" => LegalName,
        "country" => Country,
        "iban" => Iban,
        "bic" => Bic,
        "paypalEmail" => PaypalEmail,
        "taxId" => TaxId,
        _ => null,
    };

    /// <summary>False when there is no such ambassador.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var payee = await db.Ambassadors.AsNoTracking().Where(a => a.Id == AmbassadorId)
                .Select(a => new { a.Name, a.Email }).SingleOrDefaultAsync(cancellationToken);
            if (payee is null) return false;
            Payee = (payee.Name, payee.Email);
        }
        Stored = await payouts.GetDetailsAsync(AmbassadorId, cancellationToken);
        Owed = await payouts.MissingDetailsAsync(AmbassadorId, cancellationToken);
        return true;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
