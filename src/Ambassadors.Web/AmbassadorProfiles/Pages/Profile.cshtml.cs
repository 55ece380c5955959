using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Stats;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles.Pages;

public sealed record MembershipRow(string CampaignId, string CampaignName, DateTimeOffset JoinedAt, string ReferralCode, DateTimeOffset? RemovedAt,
    IReadOnlyList<AmbassadorLink> Links);

public sealed record CampaignResults(string CampaignId, string CampaignName, long Leads, long Sales, IReadOnlyList<MoneyView> Revenue);

/// <summary>Earned per currency: pending, approved, paid, and what was clawed back after a refund.</summary>
public sealed record Earnings(string Currency, decimal Pending, decimal Approved, decimal Paid, decimal ClawedBack)
{
    /// <summary>
    /// An ambassador's earnings per currency at <paramref name="now"/>, as the manager's page and the portal show them: the
    /// ledger's own rules say what is pending, approved or paid (LedgerRules); clawbacks are listed on their own.
    /// </summary>
    public static async Task<IReadOnlyList<Earnings>> OfAsync(AppDbContext db, string ambassadorId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var entries = await db.Ledger.AsNoTracking()
            .Where(e => e.AmbassadorId == ambassadorId && e.State != LedgerEntryState.Voided)
            .WithStatus(now)
            .GroupBy(x => new { Clawback = x.Entry.Kind == LedgerEntryKind.Clawback, x.Status, x.Entry.Currency })
            .Select(g => new { g.Key.Clawback, g.Key.Status, g.Key.Currency, Amount = g.Sum(x => x.Entry.AmountMinor) })
            .ToListAsync(cancellationToken);
        return entries.GroupBy(e => e.Currency).OrderBy(g => g.Key).Select(g =>
        {
            decimal Sum(LedgerStatus status) => Rewards.FromMinor(g.Where(e => !e.Clawback && e.Status == status).Sum(e => e.Amount), g.Key);
            return new Earnings(g.Key, Sum(LedgerStatus.Pending), Sum(LedgerStatus.Approved), Sum(LedgerStatus.Paid),
                Rewards.FromMinor(-g.Where(e => e.Clawback).Sum(e => e.Amount), g.Key));
        }).ToList();
    }
}

/// <summary>An ambassador's page: profile, reach, memberships with their links, results and earnings; removing a member.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class ProfileModel(IDbContextFactory<AppDbContext> contexts, StatsService stats, PublicLinks links, IMembershipChanges changes,
    TimeProvider clock) : PageModel
{
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty] public string? CampaignId { get; set; }
    [BindProperty] public string? Confirmed { get; set; }
    [TempData] public string? Flash { get; set; }

    public Ambassador Ambassador { get; private set; } = null!;
    public PortalStatus Status { get; private set; }
    public IReadOnlyList<MembershipRow> Memberships { get; private set; } = [];
    public StatsView Totals { get; private set; } = null!;
    public IReadOnlyList<CampaignResults> PerCampaign { get; private set; } = [];
    public IReadOnlyList<Earnings> Earned { get; private set; } = [];
    /// <summary>The membership whose removal waits for a confirmation.</summary>
    public MembershipRow? Confirming { get; private set; }

    public string LinkFor(string code) => links.For(code);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return NotFound();
        var membership = Memberships.FirstOrDefault(m => m.CampaignId == CampaignId);
        if (membership is null) return NotFound();
        if (membership.RemovedAt is not null) return Redirect(Here());
        if (Confirmed != membership.CampaignId)
        {
            Confirming = membership;
            return Page();
        }
        var by = User.PageActor();
        await MemberRemoval.RemoveAsync(contexts, changes, clock, membership.CampaignId, Id, new ChangedBy(by.Id, by.Name), cancellationToken);
        Flash = membership.CampaignName;
        return Redirect(Here());
    }

    private string Here() => $"/manage/ambassadors/{Uri.EscapeDataString(Id)}";

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(Id, "amb")) return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ambassador = await db.Ambassadors.AsNoTracking().SingleOrDefaultAsync(a => a.Id == Id, cancellationToken);
        if (ambassador is null) return false;
        Ambassador = ambassador;
        var now = clock.GetUtcNow();
        Status = await AmbassadorDirectory.StatusOfAsync(db, Id, now, cancellationToken);

        var memberships = await (
                from m in db.Memberships.AsNoTracking()
                where m.AmbassadorId == Id
                join c in db.Campaigns on m.CampaignId equals c.Id
                orderby m.JoinedAt
                select new { m.CampaignId, c.Name, m.JoinedAt, m.ReferralCode, m.RemovedAt })
            .ToListAsync(cancellationToken);
        var allLinks = (await AmbassadorLinks.OfAsync(db, Id, cancellationToken)).ToLookup(l => l.CampaignId);
        Memberships = memberships.Select(m => new MembershipRow(m.CampaignId, m.Name, m.JoinedAt, m.ReferralCode, m.RemovedAt, allLinks[m.CampaignId].ToList()))
            .ToList();

        Totals = (await stats.ForAsync(StatsSubject.Ambassador, Id, null, null, cancellationToken))!;
        var conversions = await db.Conversions.AsNoTracking()
            .Where(c => c.AmbassadorId == Id && c.ReversedAt == null)
            .GroupBy(c => new { c.CampaignId, c.Kind, c.Currency })
            .Select(g => new { g.Key.CampaignId, g.Key.Kind, g.Key.Currency, Count = g.LongCount(), Amount = g.Sum(c => c.AmountMinor ?? 0) })
            .ToListAsync(cancellationToken);
        PerCampaign = memberships.Select(m =>
        {
            var mine = conversions.Where(c => c.CampaignId == m.CampaignId).ToList();
            return new CampaignResults(m.CampaignId, m.Name,
                mine.Where(c => c.Kind == ConversionKind.Lead).Sum(c => c.Count),
                mine.Where(c => c.Kind == ConversionKind.Sale).Sum(c => c.Count),
                mine.Where(c => c.Kind == ConversionKind.Sale).GroupBy(c => c.Currency).OrderBy(g => g.Key)
                    .Select(g => new MoneyView(g.Key, Rewards.FromMinor(g.Sum(c => c.Amount), g.Key))).ToList());
        }).ToList();

        Earned = await Earnings.OfAsync(db, Id, now, cancellationToken);
        return true;
    }
}
