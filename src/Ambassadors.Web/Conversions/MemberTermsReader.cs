using System.Collections.Concurrent;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Ambassadors.Web.Conversions;

/// <summary>What a conversion needs of its member: when they were removed from the campaign, and who referred them.</summary>
public sealed record MemberTerms(DateTimeOffset? RemovedAt, string? ReferredBy);

/// <summary>
/// The memberships concurrent conversions need, read together: a request queues its (campaign, ambassador) and waits for
/// the gate; whoever holds it reads every key queued so far (up to <see cref="BatchLimit"/>) in one query and answers each
/// request. Read one by one, the membership was a connection taken from the pool (and reset) and a query per conversion:
/// 40% of the PostgreSQL service's CPU per conversion (docs/decisions.md, "Conversions: the membership read in batches").
/// The database stays the truth: nothing is kept between batches, so a removal counts from the next read on.
/// <para>
/// On SQLite a read is a call into this process, no round trip and no pooled connection to reset: batching only added
/// the gate (4,381-4,737 conversions a second read alone, 4,040-4,272 in batches, in the same wrk runs), so each request
/// reads its own, as a compiled query.
/// </para>
/// </summary>
public sealed class MemberTermsReader(IDbContextFactory<AppDbContext> contexts, StorageSettings storage)
{
    public const int BatchLimit = 64;

    private readonly GroupedWork<(string CampaignId, string AmbassadorId), MemberTerms?> _reads =
        new(BatchLimit, batch => ReadBatchAsync(contexts, batch));

    /// <summary>The member's terms, or null when the ambassador is not a member of the campaign.</summary>
    public async Task<MemberTerms?> ReadAsync(string campaignId, string ambassadorId, CancellationToken cancellationToken)
    {
        if (storage.Engine == StorageEngine.Sqlite)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await MemberOf.GetOrAdd(db.Model, _ => CompileMemberOf())(db, campaignId, ambassadorId, cancellationToken);
        }
        // A request cancelled while it waits leaves its key queued: the next batch reads it along, and no one waits for it.
        return await _reads.RunAsync((campaignId, ambassadorId), cancellationToken);
    }

    /// <summary>
    /// One member's terms, as a compiled query, so EF Core's per-query work (the expression's parameters extracted, the query
    /// cache looked up) is done once. A compiled query serves one model: one per model.
    /// </summary>
    private static readonly ConcurrentDictionary<IModel, Func<AppDbContext, string, string, CancellationToken, Task<MemberTerms?>>> MemberOf = new();

    private static Func<AppDbContext, string, string, CancellationToken, Task<MemberTerms?>> CompileMemberOf() => EF.CompileAsyncQuery(
        (AppDbContext db, string campaignId, string ambassadorId, CancellationToken _) => db.Memberships.AsNoTracking()
            .Where(m => m.CampaignId == campaignId && m.AmbassadorId == ambassadorId)
            .Select(m => new MemberTerms(m.RemovedAt, m.ReferredBy)).FirstOrDefault());

    /// <summary>
    /// Each campaign's members among the batch's ambassadors: usually one campaign, and never more rows than keys asked for
    /// in it. Rows of another campaign's key are not read. A failure fails each request of the batch, as its own read would.
    /// </summary>
    private static async Task ReadBatchAsync(IDbContextFactory<AppDbContext> contexts,
        IReadOnlyList<GroupedWork<(string CampaignId, string AmbassadorId), MemberTerms?>.Pending> batch)
    {
        var read = new Dictionary<(string, string), MemberTerms>();
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        foreach (var campaign in batch.GroupBy(p => p.Item.CampaignId, StringComparer.Ordinal))
        {
            var campaignId = campaign.Key;
            var ambassadorIds = campaign.Select(p => p.Item.AmbassadorId).Distinct(StringComparer.Ordinal).ToList();
            var rows = await db.Memberships.AsNoTracking()
                .Where(m => m.CampaignId == campaignId && ambassadorIds.Contains(m.AmbassadorId))
                .Select(m => new { m.AmbassadorId, m.RemovedAt, m.ReferredBy })
                .ToListAsync(CancellationToken.None);
            foreach (var row in rows) read[(campaignId, row.AmbassadorId)] = new MemberTerms(row.RemovedAt, row.ReferredBy);
        }
        foreach (var pending in batch) pending.Answer.TrySetResult(read.GetValueOrDefault(pending.Item));
    }
}
