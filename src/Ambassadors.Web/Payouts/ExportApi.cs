using Ambassadors.Data;
using System.Security.Claims;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ambassadors.Web.Payouts;

/// <param name="State">queued, running, done, failed or downloaded.</param>
public sealed record ExportStatus(string Id, string BatchId, string State, long RowsWritten, long TotalRows, int Percent,
    string? FileName, string? DownloadUrl, string? Error);

/// <summary>The export's progress (polled by the batch page) and its download, for the finance pages (cookie sign-in).</summary>
public static class ExportApi
{
    public static IEndpointRouteBuilder MapFinanceExports(this IEndpointRouteBuilder routes)
    {
        var exports = routes.MapGroup("/finance/exports")
            .RequireAuthorization(StaffPolicies.Finance)
            .ExcludeFromDescription();
        exports.MapGet("/{jobId}", Status);
        exports.MapGet("/{jobId}/file", Download);
        return routes;
    }

    public static string StatusUrl(string jobId) => $"/finance/exports/{Uri.EscapeDataString(jobId)}";

    public static string DownloadUrl(string jobId) => $"{StatusUrl(jobId)}/file";

    public static ExportStatus StatusOf(ExportJob job) => new(
        job.Id, job.BatchId, job.State.Name(), job.RowsWritten, job.TotalRows, job.Percent, job.FileName,
        job.State == WorkbookExportState.Done ? DownloadUrl(job.Id) : null, job.Error);

    private static async Task<Results<Ok<ExportStatus>, JsonHttpResult<ExportStatus>>> Status(string jobId, ExportJobs jobs, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", cancellationToken);
        return job is null
            ? TypedResults.Json(new ExportStatus(jobId, "", "unknown", 0, 0, 0, null, null,
                "No such export (they are kept for an hour); export again."), statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(StatusOf(job));
    }

    /// <summary>The file, once, to who started the export; audited when handed out.</summary>
    private static async Task<Results<FileContentHttpResult, NotFound>> Download(string jobId, ExportJobs jobs, IPayoutService payouts,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var job = await jobs.FindAsync(jobId, userId, cancellationToken);
        var file = job is null ? null : await jobs.TakeAsync(jobId, userId, cancellationToken);
        if (file is null) return TypedResults.NotFound();
        await payouts.RecordExportAsync(job!.BatchId, job.FileName ?? "", job.TotalRows, user.PageActor(), cancellationToken);
        return TypedResults.File(file, PayoutWorkbook.ContentType, job!.FileName);
    }
}
