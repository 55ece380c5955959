using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Access;
using Ambassadors.Web.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Ambassadors.Web.Http.Pages;

namespace Ambassadors.Web.Payouts.Pages;

/// <summary>Preview a batch (nothing stored), then create it as a draft.</summary>
public sealed class NewBatchModel(IPayoutService payouts, TimeProvider clock, IStringLocalizer<FinanceTexts> texts) : PageModel
{
    [BindProperty] public string? PeriodEnd { get; set; }
    [BindProperty] public string? MinimumAmount { get; set; }

    public BatchPreview? Preview { get; private set; }
    public IReadOnlyList<MissingDetailsView> Missing { get; private set; } = [];
    public string? Problem { get; private set; }
    public IReadOnlyList<string> Details { get; private set; } = [];

    [TempData] public string? Flash { get; set; }

    public void OnGet()
    {
        PeriodEnd = IsoDates.Write(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        MinimumAmount = "0";
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        if (Read() is not { } request) return Refused();
        var result = await payouts.PreviewAsync(request, cancellationToken);
        if (!result.Succeeded) return Refused(result.Failure!);
        Preview = result.Value;
        Missing = Preview!.MissingDetails;
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (Read() is not { } request) return Refused();
        var result = await payouts.CreateAsync(request, User.PageActor(), cancellationToken);
        if (!result.Succeeded) return Refused(result.Failure!);
        var batch = result.Value!;
        Flash = texts["New.Created", Display.Count(texts, "Count.Line", batch.Lines), FinanceDisplay.Totals(batch.Totals)];
        return Redirect($"/finance/batches/{Uri.EscapeDataString(batch.Id)}");
    }

    private BatchRequest? Read()
    {
        var problems = new List<string>();
        if (!IsoDates.TryParse(PeriodEnd, out var periodEnd)) problems.Add(texts["New.PeriodEndInvalid"]);
        var minimum = 0m;
        if (!string.IsNullOrWhiteSpace(MinimumAmount) && (!FinanceDisplay.TryParseAmount(MinimumAmount, out minimum) || minimum < 0))
        {
            problems.Add(texts["New.MinimumInvalid"]);
        }
        if (problems.Count > 0)
        {
            Problem = texts["New.Correct"];
            Details = problems;
            return null;
        }
        return new BatchRequest(periodEnd, minimum);
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private PageResult Refused(Failure failure)
    {
        Problem = FinanceDisplay.Explain(failure, texts);
        Details = failure.FieldErrors.Count > 0 ? FinanceDisplay.Describe(failure, texts).ToList() : [];
        Missing = failure.MissingDetails();
        Response.StatusCode = failure.Kind == FailureKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
