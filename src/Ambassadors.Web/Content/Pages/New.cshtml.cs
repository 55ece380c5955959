using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Http.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Content.Pages;

/// <summary>/manage/campaigns/{id}/content/new: publishes a piece the way the API does (every member gets their link), audited.</summary>
public sealed class NewModel(AppDbContext db, IGrainFactory grains, IStringLocalizer<ContentTexts> texts) : ContentFormPage(texts)
{
    public override bool Editing => false;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        if (Read() is not { } input) return Refused();
        var result = await ContentApi.PublishAsync(grains, id, input.Fields, input.Embargo, ContentPages.Actor(User));
        if (result.Failure is { } failure) return failure.Kind == FailureKind.NotFound ? NotFound() : Refused(failure.FieldErrors);
        var links = await db.ReferralCodes.CountAsync(c => c.ContentId == result.Value!.Id, cancellationToken);
        Flash = Texts["Flash.Created", result.Value!.Title, Display.Count(Texts, "Flash.Links", links)];
        return Redirect($"/manage/campaigns/{id}/content");
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var campaign = Ids.LooksLike(id, "cmp")
            ? await db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Name, c.DestinationUrl }).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (campaign is null) return false;
        (CampaignId, CampaignName, CampaignDestination) = (id, campaign.Name, campaign.DestinationUrl);
        return true;
    }
}

/// <summary>What the library's pages share.</summary>
public static class ContentPages
{
    /// <summary>The signed-in staff member, for the audit log.</summary>
    public static ContentActor Actor(System.Security.Claims.ClaimsPrincipal user)
    {
        var actor = user.PageActor();
        return new ContentActor(actor.Id, actor.Name);
    }
}
