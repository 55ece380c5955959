using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>A new campaign through the form: the API's rules (<see cref="CampaignInput"/>) and the grain that stores it.</summary>
public sealed class NewModel(IGrainFactory grains, IStringLocalizer<CampaignTexts> texts) : CampaignFormPage(texts)
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var unreadable = new Validation();
        var request = Form.ToCreate(unreadable);
        var input = CampaignInput.Create(request);
        if (!unreadable.IsValid || input.Failure is not null) return Refused(unreadable, input.Failure);

        var created = await grains.GetGrain<ICampaignGrain>(Ids.New("cmp")).CreateAsync(input.Value!);
        if (created.Failure is { } failure) return Refused(failure);
        Flash = Texts["Flash.Created"];
        return Redirect($"/manage/campaigns/{created.Value!.Id}");
    }
}
