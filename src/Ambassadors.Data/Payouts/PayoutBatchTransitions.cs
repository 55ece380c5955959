namespace Ambassadors.Data;

/// <summary>
/// A payout batch's life: draft → approved → paid, or draft → discarded, and nothing else. The table the payout service
/// follows; the database enforces it, since every move is one conditional update <c>WHERE Status = from</c>.
/// </summary>
public static class PayoutBatchTransitions
{
    /// <summary>Every allowed move. A batch is created as a draft; no move leads back to one.</summary>
    public static readonly IReadOnlyList<(PayoutBatchStatus From, PayoutBatchStatus To)> Allowed =
    [
        (PayoutBatchStatus.Draft, PayoutBatchStatus.Approved),
        (PayoutBatchStatus.Approved, PayoutBatchStatus.Paid),
        (PayoutBatchStatus.Draft, PayoutBatchStatus.Discarded),
    ];

    public static bool IsAllowed(PayoutBatchStatus from, PayoutBatchStatus to) => Allowed.Contains((from, to));

    /// <summary>The one status a batch moves to <paramref name="to"/> from: the condition of its update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For draft, which no move leads to.</exception>
    public static PayoutBatchStatus From(PayoutBatchStatus to)
    {
        foreach (var move in Allowed)
        {
            if (move.To == to) return move.From;
        }
        throw new ArgumentOutOfRangeException(nameof(to), to, "No move leads to this status.");
    }

    /// <summary>
    /// Why batch <paramref name="batchId"/>, being <paramref name="current"/>, cannot move to <paramref name="to"/> (the
    /// conflict's detail); null when it can, or already is there (asking again changes nothing).
    /// </summary>
    public static string? Refusal(string batchId, PayoutBatchStatus current, PayoutBatchStatus to)
    {
        if (current == to || IsAllowed(current, to)) return null;
        var status = current.Name();
        return (to, current) switch
        {
            (PayoutBatchStatus.Paid, PayoutBatchStatus.Draft) => $"Batch {batchId} is a draft: approve it before marking it paid.",
            (PayoutBatchStatus.Paid, _) => $"Batch {batchId} is {status}: only an approved batch can be paid.",
            (PayoutBatchStatus.Approved, _) => $"Batch {batchId} is {status}: only a draft can be approved.",
            (PayoutBatchStatus.Discarded, _) => $"Batch {batchId} is {status}: only a draft can be discarded.",
            _ => $"Batch {batchId} is {status}: a batch is a draft only until it is approved or discarded.",
        };
    }
}

/// <summary>A payout batch status as the API, the pages, the command line, the workbook and the audit log spell it.</summary>
public static class PayoutBatchStatuses
{
    /// <summary>The names in the batch's order of life: draft, approved, paid, discarded.</summary>
    public static readonly IReadOnlyList<string> Names = EnumNames.Names<PayoutBatchStatus>();

    /// <summary>The names as a sentence lists them; a constant for attributes (a test holds it to <see cref="Names"/>).</summary>
    public const string InWords = "draft, approved, paid or discarded";

    /// <summary>Exactly a name from <see cref="Names"/> (lowercase; no numbers).</summary>
    public static bool TryParse(string? name, out PayoutBatchStatus status) => EnumNames.TryParse(name, out status);
}
