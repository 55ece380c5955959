using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Payouts.Pages;

/// <summary>The batches, what was paid per period, and who is owed money without payout details.</summary>
public sealed class IndexModel(IPayoutService payouts) : PageModel
{
    /// <summary>The statuses the list can be filtered by, in the batch's order of life.</summary>
    public static IReadOnlyList<string> Statuses => PayoutBatchStatuses.Names;

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public IReadOnlyList<BatchView> Batches { get; private set; } = [];
    public IReadOnlyList<PaidChart> Charts { get; private set; } = [];
    public IReadOnlyList<MissingDetailsView> Missing { get; private set; } = [];
    public IReadOnlyList<CurrencyTotalView> MissingTotals { get; private set; } = [];
    public int PayeesMissing => Missing.Select(m => m.AmbassadorId).Distinct(StringComparer.Ordinal).Count();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Status is not null && !Statuses.Contains(Status)) Status = null;
        var all = await payouts.ListAsync(null, cancellationToken);
        Batches = Status is null ? all : all.Where(b => b.Status == Status).ToList();
        Charts = PaidChart.From(all);
        Missing = await payouts.MissingDetailsAsync(cancellationToken);
        MissingTotals = Missing.GroupBy(m => m.Currency, StringComparer.Ordinal)
            .Select(g => new CurrencyTotalView(g.Key, g.Sum(m => m.Amount), 0, 0, 0, 0))
            .OrderBy(t => t.Currency, StringComparer.Ordinal)
            .ToList();
    }
}
