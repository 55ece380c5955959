using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>My statement of a batch as an .xlsx (the same words and figures as the page); a 404 wherever the page is one.</summary>
public sealed class StatementWorkbookModel(IDbContextFactory<AppDbContext> contexts, PayoutOptions options, IStringLocalizer<EarningsTexts> texts) : PageModel
{
    [FromRoute] public string BatchId { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var statement = await PortalEarnings.StatementAsync(db, User.AmbassadorId(), BatchId, cancellationToken);
        if (statement is null) return NotFound();
        var lines = statement.Lines.Select(l => new StatementWorkbookLine(l.Currency,
            l.Entries.Select(e => new StatementWorkbookEntry(e.Date, e.CampaignName, StatementWords.Kind(e, texts), e.ExternalId, e.AmountMinor)).ToList(),
            l.NetMinor)).ToList();
        var workbook = StatementWorkbook.Write(StatementWords.WorkbookText(statement, options.ProgrammeName, texts), lines);
        return File(workbook, PayoutWorkbook.ContentType, $"statement-{statement.BatchId}.xlsx");
    }
}
