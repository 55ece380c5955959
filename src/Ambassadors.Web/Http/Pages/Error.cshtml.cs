using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Http.Pages;

/// <summary>The readable page behind every page error (re-executed by the status-code pages): no stack trace, a next step.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public IActionResult OnGet(int? status) => Show(status);

    public IActionResult OnPost(int? status) => Show(status);

    private PageResult Show(int? status)
    {
        Status = status is >= 400 and <= 599 ? status.Value : StatusCodes.Status404NotFound;
        var path = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? HttpContext.Request.Path.Value;
        (Title, Explanation) = Status switch
        {
            StatusCodes.Status400BadRequest => ("The form could not be accepted",
                "It was not sent from this site, or the page was open too long. Go back, reload the page and try again."),
            StatusCodes.Status403Forbidden => ("This page is not for your account",
                $"You are signed in as {User.FindFirstValue(ClaimTypes.Email) ?? "someone"} with the role " +
                $"'{User.FindFirstValue(ClaimTypes.Role) ?? "none"}'. " +
                (path?.StartsWith("/finance", StringComparison.OrdinalIgnoreCase) == true
                    ? "The finance workspace is for finance and admin accounts."
                    : path?.StartsWith("/manage", StringComparison.OrdinalIgnoreCase) == true
                        ? "The campaign managers' workspace is for manager and admin accounts."
                        : "This page is for other roles.")),
            StatusCodes.Status404NotFound => ("Not found", $"Nothing is at {path}. It may have been removed, or the link is wrong."),
            StatusCodes.Status429TooManyRequests => ("Too many attempts",
                "Too many attempts came from your address in the last minute. Wait a minute, then try again."),
            StatusCodes.Status405MethodNotAllowed => ("Not allowed", $"{HttpContext.Request.Method} is not allowed on {path}."),
            >= 500 => ("Something went wrong on our side", "The error has been logged. Nothing was changed unless the page said so; try again in a moment."),
            _ => ("The request could not be handled", $"The page answered with status {Status}."),
        };
        Response.StatusCode = Status;
        return Page();
    }
}
