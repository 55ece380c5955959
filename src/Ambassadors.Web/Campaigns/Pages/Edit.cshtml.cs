using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>
/// Changes a campaign: the form is a merge patch of every field it shows, checked by the API's rules. Ending the campaign
/// asks first (the answer re-posts the same form with <see cref="Confirmed"/>); nothing is stored until then.
/// </summary>
public sealed class EditModel(IGrainFactory grains, IStringLocalizer<CampaignTexts> texts) : CampaignFormPage(texts)
{
    public const string Yes = "yes";

    public CampaignRecord Campaign { get; private set; } = null!;

    [BindProperty] public string? Confirmed { get; set; }

    /// <summary>True while the page asks whether to end the campaign.</summary>
    public bool AskToEnd { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (await FindAsync(id) is not { } campaign) return NotFound();
        Campaign = campaign;
        Form = CampaignForm.Of(campaign);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        if (await FindAsync(id) is not { } campaign) return NotFound();
        Campaign = campaign;
        Form.Currency = campaign.Currency;
        var unreadable = new Validation();
        var changes = CampaignInput.Update(Form.ToPatch(unreadable), campaign);
        if (!unreadable.IsValid || changes.Failure is not null) return Refused(unreadable, changes.Failure);
        if (changes.Value!.Status == CampaignStatus.Ended && campaign.Status != CampaignStatus.Ended && Confirmed != Yes)
        {
            AskToEnd = true;
            return Page();
        }

        var updated = await grains.GetGrain<ICampaignGrain>(id).UpdateAsync(changes.Value);
        if (updated.Failure is { } failure) return Refused(failure, campaign.Members);
        Flash = Texts["Flash.Saved"];
        return Redirect($"/manage/campaigns/{id}");
    }

    private async Task<CampaignRecord?> FindAsync(string id) =>
        Ids.LooksLike(id, "cmp") ? await grains.GetGrain<ICampaignGrain>(id).GetAsync() : null;
}
