namespace Ambassadors.Payouts.Workbook;

/// <summary>
/// Everything the payout workbook shows, independent of how it is written. Money is in integer minor units of
/// its ISO 4217 currency; the writers turn it into numbers with the currency's decimals.
/// </summary>
/// <param name="Lines">One per payee and currency, in payment order; may be enumerated lazily (once).</param>
/// <param name="Rewards">Every ledger entry paid by the batch, grouped by line; may be enumerated lazily (once).</param>
public sealed record PayoutWorkbookData(
    PayoutWorkbookSummary Summary,
    IEnumerable<PayoutWorkbookLine> Lines,
    IEnumerable<PayoutWorkbookReward> Rewards);

/// <param name="ProgrammeName">The programme (installation) name, for the title and the file name.</param>
/// <param name="Status">draft, approved, paid or discarded.</param>
/// <param name="CreatedBy">Who created it, readable (an email or an API key's name).</param>
/// <param name="MinimumAmount">The minimum balance a line needed, in each line's own currency.</param>
public sealed record PayoutWorkbookSummary(
    string ProgrammeName,
    string BatchId,
    DateOnly PeriodEnd,
    string Status,
    decimal MinimumAmount,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ApprovedAt,
    string? ApprovedBy,
    DateTimeOffset? PaidAt,
    string? PaidBy,
    DateOnly? PaymentDate,
    string? PaymentReference,
    IReadOnlyList<PayoutWorkbookTotal> Totals,
    int LineCount,
    int RewardCount,
    int MissingDetailsCount);

/// <summary>Per currency: how many lines and rewards, and the sums (clawbacks are negative).</summary>
public sealed record PayoutWorkbookTotal(string Currency, int Lines, int Rewards, long GrossMinor, long ClawbacksMinor, long NetMinor);

/// <param name="Method">bank or paypal.</param>
/// <param name="ClawbacksMinor">Zero or negative.</param>
/// <param name="PaymentReference">What the payee sees on the transfer; unique per line.</param>
public sealed record PayoutWorkbookLine(
    int Number,
    string AmbassadorId,
    string Payee,
    string Email,
    string Country,
    string Method,
    string? Iban,
    string? Bic,
    string? PaypalEmail,
    string Currency,
    long GrossMinor,
    long ClawbacksMinor,
    long NetMinor,
    int RewardCount,
    string PaymentReference);

/// <param name="LineNumber">The <see cref="PayoutWorkbookLine.Number"/> this reward is paid in.</param>
/// <param name="ExternalId">The merchant's id of the conversion (its externalId), in the "Conversion" column.</param>
/// <param name="Kind">reward, secondDegree or clawback.</param>
/// <param name="Date">When the conversion happened (UTC date).</param>
/// <param name="AmountMinor">Negative for a clawback.</param>
public sealed record PayoutWorkbookReward(
    int LineNumber,
    string PaymentReference,
    string AmbassadorId,
    string Payee,
    string ExternalId,
    string CampaignId,
    string CampaignName,
    string? ContentId,
    string? ContentTitle,
    string Kind,
    DateOnly Date,
    string Currency,
    long AmountMinor);
