using Ambassadors.Data;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace Ambassadors.Web.Recruitment.Pages;

/// <summary>What a mail sender sends (invitations, kind declines), newest first, each link with a copy button.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class OutboxModel(AppDbContext db, SmtpSettings smtp) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The page number, as <c>?p=</c> (Razor Pages keeps <c>page</c> for the page's own name).</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public bool Sending => smtp.Enabled;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        (Messages, Total) = await Outbox.PageAsync(db, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
    }
}
