using Ambassadors.Data;
using Ambassadors.Payouts.Workbook;

namespace Ambassadors.Payouts;

/// <summary>Who did something, for the audit log: <paramref name="Id"/> is "user:{id}", "key:{id}", "bootstrap" or "cli";
/// <paramref name="Name"/> is readable (an email, a key's name).</summary>
public sealed record Actor(string Id, string Name);

/// <summary>The payout side of a <see cref="FailureKind.NothingToPay"/> failure: the payees owed money without payout details.</summary>
public static class NothingToPay
{
    /// <summary>The problem member that lists them.</summary>
    public const string MissingDetailsMember = "missingDetails";

    public static Failure Because(string detail, IReadOnlyList<MissingDetailsView> missingDetails) =>
        Fail.NothingToPay(detail, new Dictionary<string, object?> { [MissingDetailsMember] = missingDetails });

    /// <summary>The payees a NothingToPay failure lists; empty for any other failure.</summary>
    public static IReadOnlyList<MissingDetailsView> MissingDetails(this Failure failure) =>
        failure.Extensions?.GetValueOrDefault(MissingDetailsMember) as IReadOnlyList<MissingDetailsView> ?? [];
}

/// <summary>What a payee sends; validated by <see cref="IPayoutService.SaveDetailsAsync"/>.</summary>
/// <remarks>method, legalName and country are required; the others are optional (API.md), hence their defaults: the
/// OpenAPI document marks a constructor parameter without one as required.</remarks>
public sealed record PayoutDetailsInput(string? Method, string? LegalName, string? Country, string? Iban = null, string? Bic = null,
    string? PaypalEmail = null, string? TaxId = null);

/// <param name="Method">bank or paypal.</param>
/// <param name="Iban">Stored without spaces, upper case.</param>
public sealed record PayoutDetailsView(string AmbassadorId, string Method, string LegalName, string Country, string? Iban,
    string? Bic, string? PaypalEmail, string? TaxId, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <param name="MinimumAmount">A line needs a balance of at least this much in its own currency (default 0).</param>
public sealed record BatchRequest(DateOnly PeriodEnd, decimal MinimumAmount = 0);

/// <summary>Per currency: net amount to pay (major units), lines and rewards.</summary>
public sealed record CurrencyTotalView(string Currency, decimal Amount, int Lines, int Rewards, decimal Gross, decimal Clawbacks);

/// <summary>Someone owed money who has no valid payout details: no line until fixed.</summary>
public sealed record MissingDetailsView(string AmbassadorId, string Name, string Email, string Currency, decimal Amount);

public sealed record BatchLineView(int Number, string AmbassadorId, string Payee, string Email, string Country, string Method,
    string? Iban, string? Bic, string? PaypalEmail, string Currency, decimal Gross, decimal Clawbacks, decimal Net, int Rewards,
    string PaymentReference);

/// <summary>What a batch made now would hold; nothing is stored.</summary>
public sealed record BatchPreview(DateOnly PeriodEnd, decimal MinimumAmount, int Lines, IReadOnlyList<CurrencyTotalView> Totals,
    IReadOnlyList<MissingDetailsView> MissingDetails, IReadOnlyList<BatchLineView> LineItems);

/// <param name="Status">draft, approved, paid or discarded (<see cref="PayoutBatchStatuses.Name"/>).</param>
/// <param name="LineItems">Null unless asked for.</param>
public sealed record BatchView(
    string Id, string Status, DateOnly PeriodEnd, decimal MinimumAmount, int Lines, int Rewards,
    IReadOnlyList<CurrencyTotalView> Totals, IReadOnlyList<MissingDetailsView> MissingDetails,
    DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? ApprovedAt, string? ApprovedBy,
    DateTimeOffset? PaidAt, string? PaidBy, DateOnly? PaymentDate, string? PaymentReference,
    DateTimeOffset? DiscardedAt, string? DiscardedBy,
    IReadOnlyList<BatchLineView>? LineItems)
{
    public bool Is(PayoutBatchStatus status) => Status == status.Name();
}

/// <summary>One audit record, with the actor's readable name.</summary>
public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string ActorName, string Action, string EntityType,
    string EntityId, string? Details);

/// <summary>Payout details, batches (draft → approved → paid, or discarded), the workbook's data and the audit trail.</summary>
public interface IPayoutService
{
    Task<PayoutDetailsView?> GetDetailsAsync(string ambassadorId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces an ambassador's details (Invalid with field errors; NotFound for an unknown ambassador).</summary>
    Task<Result<PayoutDetailsView>> SaveDetailsAsync(string ambassadorId, PayoutDetailsInput input, Actor actor,
        CancellationToken cancellationToken);

    Task<Result<BatchPreview>> PreviewAsync(BatchRequest request, CancellationToken cancellationToken);

    /// <summary>Creates a draft batch (NothingToPay when no line qualifies; the error lists missing details).</summary>
    Task<Result<BatchView>> CreateAsync(BatchRequest request, Actor actor, CancellationToken cancellationToken);

    Task<BatchView?> GetAsync(string batchId, bool withLines, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="status"/> filters when given.</summary>
    Task<IReadOnlyList<BatchView>> ListAsync(string? status, CancellationToken cancellationToken);

    /// <summary>draft → approved (Conflict from paid or discarded; approving again changes nothing).</summary>
    Task<Result<BatchView>> ApproveAsync(string batchId, Actor actor, CancellationToken cancellationToken);

    /// <summary>approved → paid, rewards paid exactly once (Conflict from draft or discarded; paying again changes nothing).</summary>
    Task<Result<BatchView>> MarkPaidAsync(string batchId, DateOnly? paymentDate, string? paymentReference, Actor actor,
        CancellationToken cancellationToken);

    /// <summary>draft → discarded, releasing its rewards for a later batch (Conflict once approved or paid).</summary>
    Task<Result<BatchView>> DiscardAsync(string batchId, Actor actor, CancellationToken cancellationToken);

    /// <summary>Payees owed an approved, unbatched balance today who have no payout details.</summary>
    Task<IReadOnlyList<MissingDetailsView>> MissingDetailsAsync(CancellationToken cancellationToken);

    /// <summary>The same for one payee (a payee's page): only that payee's ledger entries are read.</summary>
    Task<IReadOnlyList<MissingDetailsView>> MissingDetailsAsync(string ambassadorId, CancellationToken cancellationToken);

    /// <summary>Newest first; filtered by batch or by ambassador (payout details) when given.</summary>
    Task<IReadOnlyList<AuditView>> AuditAsync(string? batchId, string? ambassadorId, int limit, CancellationToken cancellationToken);

    /// <summary>The workbook's content for a batch, its lines and rewards read lazily; null for an unknown batch.</summary>
    Task<PayoutWorkbookData?> WorkbookDataAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>
    /// Audits a workbook handed out (page download, API response or CLI file): it holds payees' bank details, so finance
    /// must know who took which one. <paramref name="rows"/> counts the lines and rewards written.
    /// </summary>
    Task RecordExportAsync(string batchId, string fileName, long rows, Actor actor, CancellationToken cancellationToken);
}
