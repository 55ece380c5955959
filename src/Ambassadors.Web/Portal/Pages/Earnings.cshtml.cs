using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.AmbassadorProfiles.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>
/// My earnings per currency (pending with the day each amount is approved, approved, paid, clawed back), my ledger
/// entries a page at a time, and the payout batches that pay me with their statements.
/// </summary>
public sealed class EarningsModel(IDbContextFactory<AppDbContext> contexts, TimeProvider clock) : PageModel
{
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;

    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<Earnings> Totals { get; private set; } = [];
    public IReadOnlyList<PendingDay> Pending { get; private set; } = [];
    public IReadOnlyList<EarningEntry> Entries { get; private set; } = [];
    public int EntryCount { get; private set; }
    public IReadOnlyList<MyPayout> Payouts { get; private set; } = [];
    public bool HasPayoutDetails { get; private set; }

    public int Pages => Math.Max(1, (EntryCount + PortalEarnings.EntriesPerPage - 1) / PortalEarnings.EntriesPerPage);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var me = User.AmbassadorId();
        Now = clock.GetUtcNow();
        if (PageNumber < 1) PageNumber = 1;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Totals = await Earnings.OfAsync(db, me, Now, cancellationToken);
        Pending = await PortalEarnings.PendingAsync(db, me, Now, cancellationToken);
        (Entries, EntryCount) = await PortalEarnings.EntriesAsync(db, me, Now, PageNumber, cancellationToken);
        if (PageNumber > Pages) return NotFound();
        Payouts = await PortalEarnings.PayoutsAsync(db, me, cancellationToken);
        HasPayoutDetails = await db.PayoutDetails.AnyAsync(d => d.AmbassadorId == me, cancellationToken);
        return Page();
    }

    /// <summary>What is approved and waits for a payout in some currency, which makes missing details urgent.</summary>
    public bool Owed => Totals.Any(t => t.Approved > 0);
}
