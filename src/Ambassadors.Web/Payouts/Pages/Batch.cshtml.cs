using System.Security.Claims;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Access;
using Ambassadors.Web.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Ambassadors.Web.Http.Pages;

namespace Ambassadors.Web.Payouts.Pages;

/// <summary>One batch: its lines and totals, and what can be done with it in its status (approve, discard, export, mark paid).</summary>
public sealed class BatchModel(IPayoutService payouts, ExportJobs exports, TimeProvider clock, IStringLocalizer<FinanceTexts> texts) : PageModel
{
    public BatchView? Batch { get; private set; }
    public ExportJob? Export { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyList<string> Details { get; private set; } = [];

    /// <summary>The batch's id, sent by the confirmation's button: without it, Approve, Discard and Mark paid only ask.</summary>
    [BindProperty] public string? Confirmed { get; set; }
    /// <summary>The action waiting for its confirmation, if any.</summary>
    public PendingAction? Confirm { get; private set; }
    [BindProperty] public string? PaymentDate { get; set; }
    [BindProperty] public string? PaymentReference { get; set; }
    [TempData] public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, string? export, CancellationToken cancellationToken)
    {
        if (export is not null) Export = await exports.FindAsync(export, UserId, cancellationToken);
        return await ShowAsync(id, StatusCodes.Status200OK, cancellationToken);
    }

    public Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken) => Confirmed == id
        ? ActAsync(id, payouts.ApproveAsync(id, User.PageActor(), cancellationToken), texts["Batch.ApproveDone"], cancellationToken)
        : AskAsync(id, new PendingAction("Approve", texts["Batch.ApproveQuestion", id], texts["Batch.ApproveButton"],
            texts["Batch.ApproveConsequence"]), cancellationToken);

    public Task<IActionResult> OnPostDiscardAsync(string id, CancellationToken cancellationToken) => Confirmed == id
        ? ActAsync(id, payouts.DiscardAsync(id, User.PageActor(), cancellationToken), texts["Batch.DiscardDone"], cancellationToken)
        : AskAsync(id, new PendingAction("Discard", texts["Batch.DiscardQuestion", id], texts["Batch.DiscardButton"],
            texts["Batch.DiscardConsequence"]), cancellationToken);

    public async Task<IActionResult> OnPostPaidAsync(string id, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!IsoDates.TryParse(PaymentDate, out var paymentDate)) problems.Add(texts["Batch.PaymentDateInvalid"]);
        if (string.IsNullOrWhiteSpace(PaymentReference)) problems.Add(texts["Batch.PaymentReferenceRequired"]);
        if (problems.Count > 0)
        {
            Problem = texts["Batch.NotPaid"];
            Details = problems;
            return await ShowAsync(id, StatusCodes.Status422UnprocessableEntity, cancellationToken);
        }
        if (Confirmed != id)
        {
            return await AskAsync(id, new PendingAction("Paid", texts["Batch.PaidQuestion", id], texts["Batch.PaidButton"],
                texts["Batch.PaidConsequence", Display.Date(paymentDate), PaymentReference!.Trim()]), cancellationToken);
        }
        return await ActAsync(id, payouts.MarkPaidAsync(id, paymentDate, PaymentReference!.Trim(), User.PageActor(), cancellationToken),
            texts["Batch.PaidDone"], cancellationToken);
    }

    public async Task<IActionResult> OnPostExportAsync(string id, CancellationToken cancellationToken)
    {
        var batch = await payouts.GetAsync(id, withLines: false, cancellationToken);
        if (batch is null) return NotFound();
        if (batch.Is(PayoutBatchStatus.Discarded))
        {
            Problem = texts["Batch.NoExport"];
            return await ShowAsync(id, StatusCodes.Status409Conflict, cancellationToken);
        }
        var job = await exports.StartAsync(id, UserId, cancellationToken);
        return Redirect($"{PathOf(id)}?export={Uri.EscapeDataString(job.Id)}#export");
    }

    /// <summary>Shows the batch with the confirmation of <paramref name="action"/> (its payees and total) instead of acting.</summary>
    private async Task<IActionResult> AskAsync(string id, PendingAction action, CancellationToken cancellationToken)
    {
        Confirm = action;
        return await ShowAsync(id, StatusCodes.Status200OK, cancellationToken);
    }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    private static string PathOf(string id) => $"/finance/batches/{Uri.EscapeDataString(id)}";

    private async Task<IActionResult> ActAsync(string id, Task<Result<BatchView>> action, string done, CancellationToken cancellationToken)
    {
        var result = await action;
        if (result.Succeeded)
        {
            Flash = done;
            return Redirect(PathOf(id));
        }
        var failure = result.Failure!;
        if (failure.Kind == FailureKind.NotFound) return NotFound();
        Problem = FinanceDisplay.Explain(failure, texts);
        Details = failure.FieldErrors.Count > 0 ? FinanceDisplay.Describe(failure, texts).ToList() : [];
        return await ShowAsync(id, failure.Kind == FailureKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
            cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(string id, int status, CancellationToken cancellationToken)
    {
        Batch = await payouts.GetAsync(id, withLines: true, cancellationToken);
        if (Batch is null) return NotFound();
        PaymentDate ??= IsoDates.Write(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        Response.StatusCode = status;
        return Page();
    }
}

/// <param name="Handler">The page handler that acts once confirmed: Approve, Discard or Paid.</param>
public sealed record PendingAction(string Handler, string Question, string Button, string Consequence);
