using Ambassadors.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Feedback.Pages;

/// <summary>
/// A portal page with the feedback form (a piece's, a campaign's): the rating as a radio group that works without script,
/// an optional comment, my earlier entries newest first, and errors next to their field (422, nothing stored).
/// </summary>
public abstract class FeedbackFormPage(FeedbackService feedback, IStringLocalizer<FeedbackTexts> texts) : PageModel
{
    [BindProperty] public string? Rating { get; set; }
    [BindProperty] public string? Comment { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<FeedbackView> Mine { get; protected set; } = [];
    public DateTimeOffset Now { get; protected set; }

    [TempData] public string? Flash { get; set; }

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    protected async Task LoadMineAsync(string ambassadorId, string campaignId, string? contentId, CancellationToken cancellationToken) =>
        Mine = await feedback.MineAsync(ambassadorId, campaignId, contentId, cancellationToken);

    /// <summary>Gives the feedback; on success back to <paramref name="page"/> with thanks, else the page with the errors.</summary>
    protected async Task<IActionResult> GiveAsync(
        string ambassadorId, string campaignId, string? contentId, string page, CancellationToken cancellationToken)
    {
        var rating = int.TryParse(Rating, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : 0;
        var result = await feedback.GiveAsync(ambassadorId, campaignId, contentId, rating, Comment, cancellationToken);
        if (result.Failure is { Kind: FailureKind.NotFound }) return NotFound();
        if (result.Failure is { } failure)
        {
            foreach (var field in failure.FieldErrors.Keys) Errors[field] = texts["Error." + field];
            await LoadMineAsync(ambassadorId, campaignId, contentId, cancellationToken);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        Flash = texts["Flash.Thanks"];
        return Redirect(page);
    }
}
