using Ambassadors.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Payouts.Pages;

/// <summary>The payout audit trail, newest first, filtered by batch or by payee.</summary>
public sealed class AuditModel(IPayoutService payouts) : PageModel
{
    public const int Limit = 500;

    [BindProperty(SupportsGet = true, Name = "batch")] public string? Batch { get; set; }
    [BindProperty(SupportsGet = true, Name = "ambassador")] public string? Ambassador { get; set; }

    public IReadOnlyList<AuditView> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Batch = string.IsNullOrWhiteSpace(Batch) ? null : Batch.Trim();
        Ambassador = string.IsNullOrWhiteSpace(Ambassador) ? null : Ambassador.Trim();
        Entries = await payouts.AuditAsync(Batch, Ambassador, Limit, cancellationToken);
    }
}
