using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Feedback;
using Ambassadors.Web.Feedback.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>/portal/campaigns/{id}/feedback: my rating and comment on a campaign I am in now (404 otherwise), and my earlier ones.</summary>
public sealed class CampaignFeedbackModel(IDbContextFactory<AppDbContext> contexts, FeedbackService feedback,
    IStringLocalizer<FeedbackTexts> texts, TimeProvider clock) : FeedbackFormPage(feedback, texts)
{
    public PortalCampaign Campaign { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        await LoadMineAsync(User.AmbassadorId(), id, null, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken) =>
        !await LoadAsync(id, cancellationToken)
            ? NotFound()
            : await GiveAsync(User.AmbassadorId(), id, null, $"/portal/campaigns/{id}/feedback#feedback", cancellationToken);

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // My current campaigns are few: read them and pick (the query's projection cannot be filtered in SQL).
        var campaign = (await PortalQueries.CampaignsOf(db, User.AmbassadorId()).ToListAsync(cancellationToken)).FirstOrDefault(c => c.Id == id);
        if (campaign is null) return false;
        Campaign = campaign;
        Now = clock.GetUtcNow();
        return true;
    }
}
