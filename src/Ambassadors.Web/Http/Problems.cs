using Ambassadors.Data;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

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
/// Turns unreadable requests into problems in plain words (API.md, "Input rules"): a body that is not JSON, or none where
/// one is required, is a 400; a field that is present but cannot be read (wrong JSON type, impossible date, a number with
/// more decimals than a decimal holds) is a 422 naming the field as the client sent it; a query parameter that cannot be
/// read is a 422 naming it. Anything unexpected is a 500 without a stack trace. Every such answer carries the site's
/// security headers, also for what failed ahead of their middleware (the redirect; see <see cref="PolicyHeaders"/>).
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, PolicyHeaders securityHeaders, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = Describe(context, bad);
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
        // The exception handler cleared the response; the middleware's own headers come back when the response starts, if the
        // request got that far.
        securityHeaders.ApplyTo(context.Request, context.Response);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Describe(HttpContext context, BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var field = JsonInput.FieldName(json.Path);
            // A reader error (the text is not JSON) comes wrapped; a value that does not fit its field does not.
            if (json.InnerException is not JsonException && field is not null)
            {
                var body = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
                var problem = json is JsonFieldException
                    ? json.Message
                    : JsonInput.Expected(body, field) is { } expected ? $"must be {expected}" : "has the wrong type or format";
                return Invalid(field, $"'{field}' {problem}.");
            }
            if (json.InnerException is not JsonException)
            {
                return Unreadable("The body must be a JSON object.");
            }
            var line = json.LineNumber is { } l ? $" (line {l + 1}, position {json.BytePositionInLine + 1})" : "";
            return Unreadable($"The body is not valid JSON{line}.");
        }
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Unsupported content type",
                Detail = "Send the body as JSON with Content-Type: application/json.",
            };
        }
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = bad.StatusCode, Title = "The body is too large", Detail = "The body is larger than this service accepts." };
        }
        if (FailedParameter().Match(bad.Message) is { Success: true } parameter)
        {
            // The framework names the handler's parameter ("Limit"); the client sent the query key ("limit").
            var name = parameter.Groups["name"].Value;
            var sent = context.Request.Query.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            var expected = parameter.Groups["type"].Value switch
            {
                var t when t.Contains("int", StringComparison.OrdinalIgnoreCase) || t.Contains("long", StringComparison.OrdinalIgnoreCase) => "a whole number",
                var t when t.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true or false",
                _ => "a value of the documented form",
            };
            return Invalid(sent, $"'{sent}' must be {expected}; '{Validation.Truncate(parameter.Groups["value"].Value)}' is not.");
        }
        if (bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
            || bad.Message.Contains("not provided from body", StringComparison.OrdinalIgnoreCase)
            || bad.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase))
        {
            return Unreadable("A JSON body is required.");
        }
        return Unreadable("The request could not be read.");
    }

    private static ProblemDetails Invalid(string field, string message) =>
        new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request has invalid fields",
            Detail = message,
        };

    private static ProblemDetails Unreadable(string detail) =>
        new() { Status = StatusCodes.Status400BadRequest, Title = "The request body could not be read", Detail = detail };

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.*) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.?$", RegexOptions.Singleline)]
    private static partial Regex FailedParameter();
}

/// <summary>
/// Problem details under /api/ whatever the request's Accept header says (API.md, "Input rules"): the framework's writer
/// writes only for clients that accept JSON, so a 401 asked for with <c>Accept: text/html</c> had no writer at all and
/// became an empty 500. Registered after the framework's writer, so it only answers what that one refuses.
/// </summary>
public sealed class ApiProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments("/api");

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        problem.Status ??= response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var type = json.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(response.WriteAsJsonAsync(problem, type, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
