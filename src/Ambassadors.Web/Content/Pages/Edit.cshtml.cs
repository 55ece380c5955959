using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Content.Pages;

/// <summary>/manage/content/{id}/edit: changes a piece through the grain's one update (the API's PATCH uses it too), audited.</summary>
public sealed class EditModel(AppDbContext db, IGrainFactory grains, IStringLocalizer<ContentTexts> texts) : ContentFormPage(texts)
{
    public override bool Editing => true;

    public ContentRecord Piece { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        Form = ContentForm.Of(Piece, CultureInfo.CurrentCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        if (Read() is not { } input) return Refused();
        var (fields, embargo) = input;
        var edit = new ContentEdit(fields.Title, fields.Body, fields.MediaUrl, fields.DestinationUrl, embargo);
        var result = await grains.GetGrain<IContentGrain>(id).UpdateAsync(edit, ContentPages.Actor(User));
        if (result.Failure is { } failure) return failure.Kind == FailureKind.NotFound ? NotFound() : Refused(failure.FieldErrors);
        Flash = Texts["Flash.Saved", result.Value!.Title];
        return Redirect($"/manage/campaigns/{Piece.CampaignId}/content");
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cnt") || await grains.GetGrain<IContentGrain>(id).GetAsync() is not { } piece) return false;
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == piece.CampaignId)
            .Select(c => new { c.Name, c.DestinationUrl }).SingleAsync(cancellationToken);
        Piece = piece;
        (CampaignId, CampaignName, CampaignDestination) = (piece.CampaignId, campaign.Name, campaign.DestinationUrl);
        return true;
    }
}
