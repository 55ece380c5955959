using Ambassadors.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Ambassadors.Web.Http;

/// <summary>RFC 9457 problem details for every refusal, with a detail a person can act on.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request has invalid fields",
            Detail = detail ?? string.Join(" ", errors.SelectMany(e => e.Value)),
        });

    /// <summary>Problems made by the framework (unknown route, wrong method, wrong content type) get a detail too.</summary>
    public static void FillInDetail(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail)) return;
        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is at {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with Content-Type: application/json.",
            StatusCodes.Status401Unauthorized => "Sign in or send an API key.",
            StatusCodes.Status403Forbidden => "Your role may not do this.",
            _ => problem.Title ?? "The request could not be handled.",
        };
    }

    /// <summary>
    /// The one mapping of a refused command to its problem: NotFound → 404; Conflict → 409; Invalid → 422 with the fields
    /// at fault under <c>errors</c>; NothingToPay → 422 "Nothing to pay" with the failure's extensions (<c>missingDetails</c>).
    /// </summary>
    public static ProblemHttpResult From(Failure failure)
    {
        switch (failure.Kind)
        {
            case FailureKind.NotFound:
                return NotFound(failure.Detail);
            case FailureKind.Conflict:
                return Conflict(failure.Detail);
            case FailureKind.NothingToPay:
                var problem = new ProblemDetails
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "Nothing to pay",
                    Detail = failure.Detail,
                };
                foreach (var (name, value) in failure.Extensions ?? new Dictionary<string, object?>()) problem.Extensions[name] = value;
                return TypedResults.Problem(problem);
            default:
                return Invalid(new Dictionary<string, string[]>(failure.FieldErrors), failure.Detail);
        }
    }
}

public static class ProblemMetadata
{
    /// <summary>
    /// Documents the refusals an /api/v1 endpoint can give: always 401 and 403, plus the ones named
    /// (422 as a validation problem with field errors).
    /// </summary>
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder builder, params int[] statuses)
    {
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        foreach (var status in statuses)
        {
            if (status == StatusCodes.Status422UnprocessableEntity) builder.ProducesValidationProblem(status);
            else builder.ProducesProblem(status);
        }
        return builder;
    }
}

/// <summary>
/// Turns unreadable requests (malformed JSON, wrong types, wrong content type) into 400/415 problems
/// that say where the body went wrong, and anything unexpected into a 500 problem without a stack trace.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType
                    ? "Unsupported content type"
                    : "The request body could not be read",
                Detail = Describe(bad),
            };
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side",
                Detail = "The error has been logged. Nothing was changed by this request unless it said so.",
            };
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static string Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is System.Text.Json.JsonException json)
        {
            // System.Text.Json names the JSON path ("$.capacity") and position; keep that, drop the .NET type names.
            var path = string.IsNullOrEmpty(json.Path) ? "" : $" at {json.Path}";
            var line = json.LineNumber is { } l ? $" (line {l + 1}, position {json.BytePositionInLine + 1})" : "";
            var what = json.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? "A value has the wrong type or format"
                : "The body is not valid JSON";
            return $"{what}{path}{line}.";
        }
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return "Send the body as JSON with Content-Type: application/json.";
        }
        return bad.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase)
            ? "A JSON body is required."
            : bad.Message;
    }
}
