using Microsoft.AspNetCore.Mvc;

namespace Ambassadors.Web.Http;

/// <summary>
/// Request targets too long to serve (API.md, "Input rules": a 414 is problem+json too). Kestrel answers a request line
/// over its limit itself, with an empty body and before any middleware runs (not customisable). So Kestrel's limit is
/// raised to <see cref="ServerLimit"/> and this middleware answers targets over <see cref="Limit"/>, Kestrel's old default,
/// with a problem: what was an empty 414 from 8 KiB on is now problem+json up to 64 KiB, Kestrel's own beyond.
/// </summary>
public static class RequestTargets
{
    public const int Limit = 8 * 1024;
    public const int ServerLimit = 64 * 1024;

    public static IApplicationBuilder UseRequestTargetLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var length = request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (length <= Limit)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status414UriTooLong;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status414UriTooLong, Title = "The address is too long", Detail = $"The path and query may have at most {Limit} characters." },
        });
    });
}
