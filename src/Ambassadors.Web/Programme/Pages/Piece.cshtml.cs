using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Programme.Pages;

/// <summary>A content piece: its details and embargo, its funnel, and each ambassador's part in it (paged).</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class PieceModel(ResultsService results, TimeProvider clock) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "p")] public int Number { get; set; } = 1;

    public PieceResults Results { get; private set; } = null!;
    public FunnelChart Funnel { get; private set; } = null!;
    public IReadOnlyList<PieceMember> Members { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public int Pages => Math.Max(1, (Results.Members.Count + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await results.PieceAsync(id, cancellationToken) is not { } found) return NotFound();
        Results = found;
        Now = clock.GetUtcNow();
        Funnel = FunnelChart.Of(found.Funnel);
        Number = Math.Clamp(Number, 1, Pages);
        Members = found.Members.Skip((Number - 1) * PageSize).Take(PageSize).ToList();
        return Page();
    }
}
