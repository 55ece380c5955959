using System.Diagnostics;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>A campaign in the list, with its KPI's progress when it has one.</summary>
public sealed record CampaignRow(CampaignRecord Campaign, KpiBar? Kpi);

/// <summary>The campaign managers' home: every campaign, newest first, filtered by status, 25 to a page.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class IndexModel(IDbContextFactory<AppDbContext> contexts, IGrainFactory grains, TimeProvider clock, ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 25;

    public static IReadOnlyList<string> Statuses => EnumNames.Names<CampaignStatus>();

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    /// <summary>The page of the list, from 1 ("page" is a name Razor Pages keeps for itself).</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public int Number { get; set; } = 1;

    public IReadOnlyList<CampaignRow> Campaigns { get; private set; } = [];
    public int Total { get; private set; }
    public bool HasOlder => Number * PageSize < Total;
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        CampaignStatus? wanted = EnumNames.TryParse<CampaignStatus>(Status, out var status) ? status : null;
        if (wanted is null) Status = null;
        Number = Math.Max(Number, 1);

        var started = Stopwatch.GetTimestamp();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Campaigns.AsNoTracking();
        if (wanted is { } s) query = query.Where(c => c.Status == s);
        Total = await query.CountAsync(cancellationToken);
        var campaigns = (await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id)
            .Skip((Number - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken)).Select(CampaignRecord.From).ToList();
        var reached = await CampaignKpi.ReachedAsync(campaigns, db, grains, DateOnly.FromDateTime(Now.UtcDateTime), cancellationToken);
        Campaigns = campaigns.Select(c => new CampaignRow(c, reached.TryGetValue(c.Id, out var value) ? KpiBar.Of(c, value) : null)).ToList();
        logger.LogDebug("Campaign list: {Count} campaigns with their KPI in {Elapsed} ms", Campaigns.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
