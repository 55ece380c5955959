using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Http.Pages;

/// <summary>The readable page behind every page error (re-executed by the status-code pages): no stack trace, a next step.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(IStringLocalizer<SharedTexts> texts) : PageModel
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
        var (title, text) = Status switch
        {
            400 or 403 or 404 or 405 or 429 => ($"Error.{Status}.Title", $"Error.{Status}.Text"),
            >= 500 => ("Error.500.Title", "Error.500.Text"),
            _ => ("Error.Other.Title", "Error.Other.Text"),
        };
        Title = texts[title];
        Explanation = Status switch
        {
            StatusCodes.Status403Forbidden => texts[text,
                User.FindFirstValue(ClaimTypes.Email) ?? texts["Error.403.Someone"].Value,
                User.FindFirstValue(ClaimTypes.Role) is { } role ? texts["Layout.Role." + role].Value : texts["Error.403.NoRole"].Value]
                + " " + texts[StartsWith(path, "/manage/staff") ? "Error.403.Staff"
                    : StartsWith(path, "/finance") ? "Error.403.Finance"
                    : StartsWith(path, "/manage") ? "Error.403.Manage"
                    : "Error.403.Other"],
            StatusCodes.Status404NotFound => texts[text, path ?? ""],
            StatusCodes.Status405MethodNotAllowed => texts[text, HttpContext.Request.Method, path ?? ""],
            < 500 and not (400 or 429) => texts[text, Status],
            _ => texts[text],
        };
        Response.StatusCode = Status;
        return Page();
    }

    private static bool StartsWith(string? path, string prefix) => path?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true;
}
