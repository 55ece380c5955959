using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles.Pages;

/// <summary>The list of ambassadors: search, filters by campaign, country and portal status, 50 a page.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class IndexModel(IDbContextFactory<AppDbContext> contexts, TimeProvider clock) : PageModel
{
    [FromQuery(Name = "q")] public string? Search { get; set; }
    [FromQuery(Name = "campaign")] public string? Campaign { get; set; }
    [FromQuery(Name = "country")] public string? Country { get; set; }
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<DirectoryRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + AmbassadorDirectory.PageSize - 1) / AmbassadorDirectory.PageSize);
    public IReadOnlyList<(string Id, string Name)> Campaigns { get; private set; } = [];
    public IReadOnlyList<string> CountriesInUse { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Campaigns = (await db.Campaigns.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken))
            .Select(c => (c.Id, c.Name)).ToList();
        CountriesInUse = await db.Ambassadors.AsNoTracking().Where(a => a.Country != null).Select(a => a.Country!).Distinct()
            .OrderBy(c => c).ToListAsync(cancellationToken);
        PageNumber = Math.Max(PageNumber, 1);
        var country = Countries.TryNormalize(Country, out var code) ? code : null;
        var filter = new DirectoryFilter(Search is { Length: <= 200 } ? Search : Search?[..200],
            string.IsNullOrEmpty(Campaign) ? null : Campaign, country, AmbassadorDirectory.ParseStatus(Status), PageNumber);
        (Rows, Total) = await AmbassadorDirectory.ListAsync(db, filter, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>This list's address with one query value changed (the page number, for the pager).</summary>
    public string Link(int page)
    {
        var query = new Dictionary<string, string?> { ["q"] = Search, ["campaign"] = Campaign, ["country"] = Country, ["status"] = Status };
        if (page > 1) query["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/manage/ambassadors",
            query.Where(q => !string.IsNullOrEmpty(q.Value)));
    }
}
