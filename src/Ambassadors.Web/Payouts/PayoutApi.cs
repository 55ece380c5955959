using Ambassadors.Data;
using System.ComponentModel;
using System.Security.Claims;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Microsoft.Net.Http.Headers;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Payouts;

public sealed record PayoutBatchRequest(
    [property: Description("The last day (UTC, inclusive) whose approved rewards are paid: YYYY-MM-DD.")] string? PeriodEnd,
    [property: Description("A line needs a balance of at least this much in its own currency (default 0, at most 2 decimals); smaller balances wait for a later batch.")] decimal? MinimumAmount = null);

public sealed record MarkPaidRequest(
    [property: Description("The day the money went out, YYYY-MM-DD (default: today, UTC).")] string? PaymentDate = null,
    [property: Description("The bank's or PayPal's reference of the payment run, at most 140 characters.")] string? Reference = null);

/// <summary>Payout details and payout batches (API.md, "Payouts"): finance and admin.</summary>
public static class PayoutApi
{
    public static IEndpointRouteBuilder MapPayouts(this IEndpointRouteBuilder routes)
    {
        var details = routes.MapGroup("/api/v1/ambassadors/{id}/payout-details").WithTags("Payouts").RequireAuthorization(ApiPolicies.Finance);
        details.MapPut("/", SaveDetailsAsync)
            .WithName("SavePayoutDetails")
            .Refuses(400, 404, 422)
            .WithSummary("Set an ambassador's payout details")
            .WithDescription("Bank (a valid IBAN: the country's length and mod-97, its country code the payee's country; spaces allowed, stored without; BIC optional) or PayPal (an email). Replaces what was stored; every change is in the audit log.");
        details.MapGet("/", GetDetailsAsync)
            .WithName("GetPayoutDetails")
            .Refuses(404)
            .WithSummary("Get an ambassador's payout details")
            .WithDescription("404 when the ambassador is unknown or has none stored.");
        details.MapGet("/audit", DetailsAuditAsync)
            .WithName("GetPayoutDetailsAudit")
            .Refuses(404)
            .WithSummary("Who changed an ambassador's payout details, newest first")
            .WithDescription("Every change with who made it (user or API key) and what changed; IBANs masked, tax ids never written out.");

        var payouts = routes.MapGroup("/api/v1/payouts").WithTags("Payouts").RequireAuthorization(ApiPolicies.Finance);
        payouts.MapPost("/", CreateAsync)
            .WithName("CreatePayoutBatch")
            .Refuses(400, 422)
            .WithSummary("Create a draft payout batch")
            .WithDescription("One line per ambassador and currency with approved, unpaid rewards up to periodEnd whose balance reaches minimumAmount; clawbacks offset, a negative balance carries over. Payees without payout details are listed under missingDetails and wait. A reward is in at most one batch. Nothing to pay: 422 and no batch.");
        payouts.MapPost("/preview", PreviewAsync)
            .WithName("PreviewPayoutBatch")
            .Refuses(400, 422)
            .WithSummary("What a batch made now would hold")
            .WithDescription("The same lines, totals and missing details as POST /api/v1/payouts, without storing anything.");
        payouts.MapGet("/", ListAsync)
            .WithName("ListPayoutBatches")
            .Refuses(422)
            .WithSummary("List payout batches, newest first")
            .WithDescription($"Optionally only those with one status: {PayoutBatchStatuses.InWords}.");
        payouts.MapGet("/missing-details", MissingDetailsAsync)
            .WithName("ListMissingPayoutDetails")
            .Refuses()
            .WithSummary("Payees owed money who have no payout details")
            .WithDescription("Approved, unbatched balances today, per payee and currency.");
        payouts.MapGet("/{id}", GetAsync)
            .WithName("GetPayoutBatch")
            .Refuses(404)
            .WithSummary("Get a payout batch with its lines")
            .WithDescription("lines is the number of lines; lineItems lists them.");
        payouts.MapPost("/{id}/approve", ApproveAsync)
            .WithName("ApprovePayoutBatch")
            .Refuses(404, 409)
            .WithSummary("Approve a draft batch")
            .WithDescription("draft → approved, once: approving again changes nothing; a paid or discarded batch answers 409.");
        payouts.MapPost("/{id}/paid", MarkPaidAsync)
            .WithName("MarkPayoutBatchPaid")
            .Refuses(400, 404, 409, 422)
            .WithSummary("Mark an approved batch paid")
            .WithDescription("approved → paid: its rewards become paid, exactly once; repeating it changes nothing; a draft or discarded batch answers 409.");
        payouts.MapPost("/{id}/discard", DiscardAsync)
            .WithName("DiscardPayoutBatch")
            .Refuses(404, 409)
            .WithSummary("Discard a draft batch")
            .WithDescription("draft → discarded: its rewards are released for a later batch. Approved or paid batches answer 409.");
        payouts.MapGet("/{id}/export", ExportAsync)
            .WithName("ExportPayoutBatch")
            .Produces(StatusCodes.Status200OK, contentType: PayoutWorkbook.ContentType)
            .Refuses(404, 409)
            .WithSummary("The batch as an Excel workbook for the payment run")
            .WithDescription("Sheets Summary, Payouts (one row per line with the payee's bank or PayPal details) and Lines (every reward). Money as numbers with the currency's decimals, no formulas, text that could start a formula neutralised. Large batches are written by a streaming writer. A discarded batch answers 409.");
        payouts.MapGet("/{id}/audit", BatchAuditAsync)
            .WithName("GetPayoutBatchAudit")
            .Refuses(404)
            .WithSummary("Who did what to a batch, newest first")
            .WithDescription("Created, approved, paid or discarded: each with who did it (user or API key) and when. The log is append-only.");
        return routes;
    }

    /// <summary>The caller as the audit log names them.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) => new(user.Actor(), user.Identity?.Name ?? user.Actor());

    private static async Task<Results<Ok<PayoutDetailsView>, ProblemHttpResult>> SaveDetailsAsync(
        string id, PayoutDetailsInput input, IPayoutService payouts, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await payouts.SaveDetailsAsync(id, input, user.ToActor(), cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Value) : Problems.From(result.Failure!);
    }

    private static async Task<Results<Ok<PayoutDetailsView>, ProblemHttpResult>> GetDetailsAsync(
        string id, IPayoutService payouts, CancellationToken cancellationToken) =>
        await payouts.GetDetailsAsync(id, cancellationToken) is { } details
            ? TypedResults.Ok(details)
            : Problems.NotFound($"No payout details are stored for ambassador {id}.");

    private static async Task<Results<Ok<IReadOnlyList<AuditView>>, ProblemHttpResult>> DetailsAuditAsync(
        string id, IPayoutService payouts, AppDbContext db, CancellationToken cancellationToken) =>
        await db.Ambassadors.AnyAsync(a => a.Id == id, cancellationToken)
            ? TypedResults.Ok(await payouts.AuditAsync(null, id, 500, cancellationToken))
            : Problems.NotFound($"No ambassador {id}.");

    private static async Task<Results<Created<BatchView>, ProblemHttpResult>> CreateAsync(
        PayoutBatchRequest request, IPayoutService payouts, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (Parse(request, out var problem) is not { } batchRequest) return problem!;
        var result = await payouts.CreateAsync(batchRequest, user.ToActor(), cancellationToken);
        return result.Succeeded ? TypedResults.Created($"/api/v1/payouts/{result.Value!.Id}", result.Value) : Problems.From(result.Failure!);
    }

    private static async Task<Results<Ok<BatchPreview>, ProblemHttpResult>> PreviewAsync(
        PayoutBatchRequest request, IPayoutService payouts, CancellationToken cancellationToken)
    {
        if (Parse(request, out var problem) is not { } batchRequest) return problem!;
        var result = await payouts.PreviewAsync(batchRequest, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Value) : Problems.From(result.Failure!);
    }

    private static BatchRequest? Parse(PayoutBatchRequest request, out ProblemHttpResult? problem)
    {
        var check = new Validation();
        if (string.IsNullOrWhiteSpace(request.PeriodEnd)) check.Add("periodEnd", "'periodEnd' is required (YYYY-MM-DD).");
        var periodEnd = check.Date("periodEnd", request.PeriodEnd);
        problem = check.IsValid ? null : Problems.Invalid(check.Errors);
        return problem is null ? new BatchRequest(periodEnd!.Value, request.MinimumAmount ?? 0) : null;
    }

    private static async Task<Results<Ok<IReadOnlyList<BatchView>>, ProblemHttpResult>> ListAsync(
        [Description(PayoutBatchStatuses.InWords + ".")] string? status, IPayoutService payouts, CancellationToken cancellationToken)
    {
        if (status is not null && !PayoutBatchStatuses.TryParse(status, out _))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["status"] = [$"'status' must be {PayoutBatchStatuses.InWords}."] });
        }
        return TypedResults.Ok(await payouts.ListAsync(status, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<MissingDetailsView>>> MissingDetailsAsync(IPayoutService payouts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await payouts.MissingDetailsAsync(cancellationToken));

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> GetAsync(string id, IPayoutService payouts, CancellationToken cancellationToken) =>
        await payouts.GetAsync(id, withLines: true, cancellationToken) is { } batch ? TypedResults.Ok(batch) : Problems.NotFound($"No payout batch {id}.");

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> ApproveAsync(
        string id, IPayoutService payouts, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Answer(await payouts.ApproveAsync(id, user.ToActor(), cancellationToken));

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> DiscardAsync(
        string id, IPayoutService payouts, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Answer(await payouts.DiscardAsync(id, user.ToActor(), cancellationToken));

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> MarkPaidAsync(
        string id, [FromBody] MarkPaidRequest? request, IPayoutService payouts, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var date = string.IsNullOrEmpty(request?.PaymentDate) ? null : check.Date("paymentDate", request.PaymentDate);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        return Answer(await payouts.MarkPaidAsync(id, date, request?.Reference, user.ToActor(), cancellationToken));
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ExportAsync(
        string id, IPayoutService payouts, HttpContext http, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var data = await payouts.WorkbookDataAsync(id, cancellationToken);
        if (data is null) return Problems.NotFound($"No payout batch {id}.");
        if (data.Summary.Status == PayoutBatchStatus.Discarded.Name()) return Problems.Conflict($"Batch {id} was discarded: it pays nothing.");
        var fileName = PayoutWorkbook.FileName(data.Summary);
        http.Response.ContentType = PayoutWorkbook.ContentType;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        var written = new JobProgress();
        await PayoutWorkbook.WriteAsync(data, http.Response.Body, progress: written, cancellationToken: cancellationToken);
        await payouts.RecordExportAsync(id, fileName, written.TotalRows, user.ToActor(), cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditView>>, ProblemHttpResult>> BatchAuditAsync(
        string id, IPayoutService payouts, AppDbContext db, CancellationToken cancellationToken) =>
        await db.PayoutBatches.AnyAsync(b => b.Id == id, cancellationToken)
            ? TypedResults.Ok(await payouts.AuditAsync(id, null, 500, cancellationToken))
            : Problems.NotFound($"No payout batch {id}.");

    private static Results<Ok<BatchView>, ProblemHttpResult> Answer(Result<BatchView> result) =>
        result.Succeeded ? TypedResults.Ok(result.Value) : Problems.From(result.Failure!);
}
