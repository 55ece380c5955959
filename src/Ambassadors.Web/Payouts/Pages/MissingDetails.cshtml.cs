using Ambassadors.Payouts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Payouts.Pages;

/// <summary>Who is owed money but cannot be paid yet, each with a link to fill in their details.</summary>
public sealed class MissingDetailsModel(IPayoutService payouts) : PageModel
{
    public IReadOnlyList<MissingDetailsView> Missing { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Missing = await payouts.MissingDetailsAsync(cancellationToken);
}
