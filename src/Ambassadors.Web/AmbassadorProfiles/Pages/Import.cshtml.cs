using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.AmbassadorProfiles.Pages;

/// <summary>
/// Import an ambassador list: upload, a preview of every row with its errors, then "Import N ambassadors" (all or nothing).
/// The checked list travels back in a protected form field; its import id makes a second click harmless.
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
[RequestFormLimits(MultipartBodyLengthLimit = AmbassadorImport.MaxBytes + 64 * 1024)]
public sealed class ImportModel(AmbassadorImport import, IDbContextFactory<AppDbContext> contexts, IStringLocalizer<AmbassadorTexts> texts) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? CampaignId { get; set; }
    [BindProperty] public string? Payload { get; set; }
    [TempData] public string? Flash { get; set; }

    public IReadOnlyList<(string Id, string Name)> Campaigns { get; private set; } = [];
    public ImportPreview? Preview { get; private set; }
    public string? FileError { get; private set; }
    public string? Protected { get; private set; }
    public string? CampaignName => Campaigns.FirstOrDefault(c => c.Id == CampaignId).Name;

    public string Text(ImportError error) => texts[error.Key, error.Args];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadCampaignsAsync(cancellationToken);

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        await LoadCampaignsAsync(cancellationToken);
        CampaignId = string.IsNullOrEmpty(CampaignId) ? null : CampaignId;
        if (Upload is null || Upload.Length == 0) return Refuse(new ImportError("ImportError.NoFile"));
        if (Upload.Length > AmbassadorImport.MaxBytes) return Refuse(new ImportError("ImportError.TooBig", AmbassadorImport.MaxBytes / 1024 / 1024));
        await using var stream = Upload.OpenReadStream();
        var (rows, error) = AmbassadorImport.Read(stream, Upload.FileName);
        if (error is not null) return Refuse(error);
        Preview = await import.CheckAsync(rows, CampaignId, cancellationToken);
        if (Preview.FileError is { } fileError) FileError = Text(fileError);
        if (Preview.CanImport)
        {
            Protected = import.Protect(new ImportPayload(Ids.New("imp"), Path.GetFileName(Upload.FileName), CampaignId, Preview.People));
        }
        else
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCommitAsync(CancellationToken cancellationToken)
    {
        await LoadCampaignsAsync(cancellationToken);
        if (import.Unprotect(Payload) is not { } payload) return Refuse(new ImportError("ImportError.Expired"), "Import.Expired");
        var by = User.PageActor();
        var (outcome, why) = await import.CommitAsync(payload, new ChangedBy(by.Id, by.Name), cancellationToken);
        if (outcome == ImportOutcome.Refused)
        {
            FileError = texts["Import.Failed", Text(why!)];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        var campaign = Campaigns.FirstOrDefault(c => c.Id == payload.CampaignId).Name;
        Flash = outcome == ImportOutcome.AlreadyImported ? texts["Import.AlreadyDone"]
            : campaign is null ? texts["Import.Done", payload.People.Count] : texts["Import.DoneEnrolled", payload.People.Count, campaign];
        return Redirect("/manage/ambassadors/import");
    }

    private PageResult Refuse(ImportError error, string? key = null)
    {
        FileError = key is null ? Text(error) : texts[key];
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task LoadCampaignsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Campaigns = (await db.Campaigns.AsNoTracking().Where(c => c.Status != CampaignStatus.Ended).OrderBy(c => c.Name)
            .Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken)).Select(c => (c.Id, c.Name)).ToList();
    }
}
