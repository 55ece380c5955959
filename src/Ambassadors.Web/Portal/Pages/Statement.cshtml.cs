using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>
/// My statement of an approved or paid payout batch, a printable page: the programme, me and where the money went
/// (masked), the period, every ledger entry of my line and its total. Any other batch (a draft, someone else's, a
/// guessed id) is a 404.
/// </summary>
public sealed class StatementModel(IDbContextFactory<AppDbContext> contexts, PayoutOptions options, IStringLocalizer<EarningsTexts> texts) : PageModel
{
    [FromRoute] public string BatchId { get; set; } = "";

    public Statement Statement { get; private set; } = null!;
    public string ProgrammeName => options.ProgrammeName;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var statement = await PortalEarnings.StatementAsync(db, User.AmbassadorId(), BatchId, cancellationToken);
        if (statement is null) return NotFound();
        Statement = statement;
        return Page();
    }

    /// <summary>The summary's label and value pairs, as the page and the workbook both show them.</summary>
    public IReadOnlyList<(string Label, string Value)> Summary => StatementWords.Summary(Statement, options.ProgrammeName, texts);

    public string KindOf(StatementEntry entry) => StatementWords.Kind(entry, texts);
}

/// <summary>The statement's words, shared by the page and its workbook so both say the same.</summary>
public static class StatementWords
{
    public static IReadOnlyList<(string Label, string Value)> Summary(Statement statement, string programme, IStringLocalizer texts)
    {
        var summary = new List<(string, string)>
        {
            (texts["Statement.Programme"], programme),
            (texts["Statement.Payee"], statement.Name),
        };
        foreach (var line in statement.Lines.DistinctBy(l => (l.Method, l.Iban, l.PaypalEmail, l.Payee)))
        {
            summary.Add((texts["Statement.PaidTo"], line.Method == PayoutMethod.Paypal
                ? texts["Statement.PayPal", PortalEarnings.MaskEmail(line.PaypalEmail ?? ""), line.Payee]
                : texts["Statement.Bank", PortalEarnings.MaskIban(line.Iban ?? ""), line.Payee]));
        }
        summary.Add((texts["Statement.Period"], texts["Earnings.Period", Display.Date(statement.PeriodEnd)]));
        summary.Add((texts["Statement.Status"], texts["Batch." + statement.Status.Name()]));
        if (statement.PaymentDate is { } paid) summary.Add((texts["Statement.PaidOn"], Display.Date(paid)));
        summary.Add((texts["Statement.Reference"], string.Join(", ", statement.Lines.Select(l => l.PaymentReference))));
        summary.Add((texts["Statement.Batch"], statement.BatchId));
        return summary;
    }

    public static string Kind(StatementEntry entry, IStringLocalizer texts) => Kind(entry.Kind, entry.ConversionKind, entry.MissionTitle, texts);

    /// <summary>What earned an entry, in words: "Reward for a sale", "Mission bonus: March: the road trip".</summary>
    public static string Kind(LedgerEntryKind kind, ConversionKind? conversion, string? missionTitle, IStringLocalizer texts) =>
        texts["Entry." + kind.Name(), conversion is { } c ? texts["Conversion." + c.Name()] : missionTitle ?? ""];

    public static StatementWorkbookText WorkbookText(Statement statement, string programme, IStringLocalizer texts) => new(
        texts["Statement.Sheet"], texts["Statement.Heading", programme],
        Summary(statement, programme, texts),
        [texts["Statement.Date"], texts["Statement.Campaign"], texts["Statement.Kind"], texts["Statement.Conversion"], texts["Statement.Amount"]],
        texts["Statement.Total"]);
}
