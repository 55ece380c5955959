namespace Ambassadors.Payouts.Workbook;

/// <summary>A sheet as both writers write it: header row frozen, explicit column widths, rows produced lazily.</summary>
/// <param name="AutoFilter">An autofilter over the header row and every row below it.</param>
/// <param name="KnownRowCount">How many rows <paramref name="Rows"/> yields, header included, when known before writing.</param>
internal sealed record WorkbookSheet(string Name, IReadOnlyList<double> ColumnWidths, IEnumerable<WorkbookCell[]> Rows, bool AutoFilter,
    int? KnownRowCount = null);

/// <summary>
/// What goes where: the Summary, Payouts and Lines sheets built from <see cref="PayoutWorkbookData"/>. Lines and
/// rewards are enumerated once, as the writer asks for rows, each counted for progress and cancellation.
/// </summary>
internal static class WorkbookLayout
{
    public const string SummarySheet = "Summary";
    public const string PayoutsSheet = "Payouts";
    public const string LinesSheet = "Lines";

    // Field/value pairs above, the totals table (currency, lines, rewards, gross, clawbacks, net) below.
    private static readonly double[] SummaryWidths = [24, 36, 12, 16, 16, 16];

    private static readonly (string Header, double Width)[] PayoutsColumns =
    [
        ("#", 7), ("Payee", 28), ("Email", 30), ("Country", 9), ("Method", 9), ("IBAN", 34), ("BIC", 13),
        ("PayPal email", 30), ("Currency", 10), ("Gross", 15), ("Clawbacks", 15), ("Net", 15), ("Rewards", 9),
        ("Payment reference", 22), ("Ambassador id", 30),
    ];

    private static readonly (string Header, double Width)[] LinesColumns =
    [
        ("Line #", 8), ("Payment reference", 22), ("Ambassador id", 30), ("Payee", 28), ("Conversion", 30),
        ("Campaign id", 30), ("Campaign name", 30), ("Content id", 30), ("Content title", 36), ("Kind", 13),
        ("Date", 12), ("Currency", 10), ("Amount", 15),
    ];

    public static IReadOnlyList<WorkbookSheet> Sheets(PayoutWorkbookData data, RowCounter counter) =>
    [
        new(SummarySheet, SummaryWidths, SummaryRows(data.Summary), AutoFilter: false),
        new(PayoutsSheet, Widths(PayoutsColumns), PayoutRows(data.Lines, counter), AutoFilter: true, 1 + data.Summary.LineCount),
        new(LinesSheet, Widths(LinesColumns), RewardRows(data.Rewards, counter), AutoFilter: true, 1 + data.Summary.RewardCount),
    ];

    private static double[] Widths((string Header, double Width)[] columns) => columns.Select(c => c.Width).ToArray();

    private static WorkbookCell[] HeaderRow((string Header, double Width)[] columns) =>
        columns.Select(c => WorkbookCell.HeaderText(c.Header)).ToArray();

    private static IEnumerable<WorkbookCell[]> SummaryRows(PayoutWorkbookSummary s)
    {
        yield return [WorkbookCell.HeaderText("Field"), WorkbookCell.HeaderText("Value")];
        yield return Field("Programme", WorkbookCell.Of(s.ProgrammeName));
        yield return Field("Batch id", WorkbookCell.Of(s.BatchId));
        yield return Field("Period end", WorkbookCell.Of(s.PeriodEnd));
        yield return Field("Status", WorkbookCell.Of(s.Status));
        yield return Field("Minimum amount", WorkbookCell.Decimal(s.MinimumAmount));
        yield return Field("Created at (UTC)", WorkbookCell.Of(s.CreatedAt));
        yield return Field("Created by", WorkbookCell.Of(s.CreatedBy));
        yield return Field("Approved at (UTC)", WorkbookCell.Of(s.ApprovedAt));
        yield return Field("Approved by", WorkbookCell.Of(s.ApprovedBy));
        yield return Field("Paid at (UTC)", WorkbookCell.Of(s.PaidAt));
        yield return Field("Paid by", WorkbookCell.Of(s.PaidBy));
        yield return Field("Payment date", WorkbookCell.Of(s.PaymentDate));
        yield return Field("Payment reference", WorkbookCell.Of(s.PaymentReference));
        yield return Field("Lines", WorkbookCell.Integer(s.LineCount));
        yield return Field("Rewards", WorkbookCell.Integer(s.RewardCount));
        yield return Field("Missing details", WorkbookCell.Integer(s.MissingDetailsCount));
        yield return [];
        yield return new[] { "Currency", "Lines", "Rewards", "Gross", "Clawbacks", "Net" }
            .Select(WorkbookCell.HeaderText).ToArray();
        foreach (var t in s.Totals)
        {
            yield return
            [
                WorkbookCell.Of(t.Currency), WorkbookCell.Integer(t.Lines), WorkbookCell.Integer(t.Rewards),
                WorkbookCell.Money(t.GrossMinor, t.Currency), WorkbookCell.Money(t.ClawbacksMinor, t.Currency),
                WorkbookCell.Money(t.NetMinor, t.Currency),
            ];
        }
    }

    private static WorkbookCell[] Field(string label, WorkbookCell value) => [WorkbookCell.Of(label), value];

    private static IEnumerable<WorkbookCell[]> PayoutRows(IEnumerable<PayoutWorkbookLine> lines, RowCounter counter)
    {
        yield return HeaderRow(PayoutsColumns);
        foreach (var l in lines)
        {
            counter.Advance();
            yield return
            [
                WorkbookCell.Integer(l.Number), WorkbookCell.Of(l.Payee), WorkbookCell.Of(l.Email), WorkbookCell.Of(l.Country),
                WorkbookCell.Of(l.Method), WorkbookCell.Of(l.Iban), WorkbookCell.Of(l.Bic), WorkbookCell.Of(l.PaypalEmail),
                WorkbookCell.Of(l.Currency), WorkbookCell.Money(l.GrossMinor, l.Currency),
                WorkbookCell.Money(l.ClawbacksMinor, l.Currency), WorkbookCell.Money(l.NetMinor, l.Currency),
                WorkbookCell.Integer(l.RewardCount), WorkbookCell.Of(l.PaymentReference), WorkbookCell.Of(l.AmbassadorId),
            ];
        }
    }

    private static IEnumerable<WorkbookCell[]> RewardRows(IEnumerable<PayoutWorkbookReward> rewards, RowCounter counter)
    {
        yield return HeaderRow(LinesColumns);
        foreach (var r in rewards)
        {
            counter.Advance();
            yield return
            [
                WorkbookCell.Integer(r.LineNumber), WorkbookCell.Of(r.PaymentReference), WorkbookCell.Of(r.AmbassadorId),
                WorkbookCell.Of(r.Payee), WorkbookCell.Of(r.ExternalId), WorkbookCell.Of(r.CampaignId),
                WorkbookCell.Of(r.CampaignName), WorkbookCell.Of(r.ContentId), WorkbookCell.Of(r.ContentTitle),
                WorkbookCell.Of(r.Kind), WorkbookCell.Of(r.Date), WorkbookCell.Of(r.Currency),
                WorkbookCell.Money(r.AmountMinor, r.Currency),
            ];
        }
    }
}

/// <summary>Counts lines and rewards as they are written: progress about every 1 %, cancellation every 256 rows.</summary>
internal sealed class RowCounter(long totalRows, IProgress<WorkbookProgress>? progress, CancellationToken cancellationToken)
{
    private readonly long _step = Math.Max(1, totalRows / 100);
    private long _written;
    private long _nextReport;

    public long Written => _written;

    public void Advance()
    {
        _written++;
        if ((_written & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
        if (progress is not null && _written >= _nextReport)
        {
            progress.Report(new WorkbookProgress(_written, Math.Max(totalRows, _written)));
            _nextReport = _written + _step;
        }
    }

    /// <summary>The last report (100 %), whatever the step left out; the total is what was really written.</summary>
    public void Complete() => progress?.Report(new WorkbookProgress(_written, _written));
}
