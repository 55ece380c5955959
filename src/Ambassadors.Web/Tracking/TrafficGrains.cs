using Orleans.Runtime;

namespace Ambassadors.Web.Tracking;

/// <summary>What a tracked link points at: the code, its ambassador and campaign, and the content piece if any.</summary>
[GenerateSerializer, Immutable]
public sealed record CodeTarget(
    [property: Id(0)] string Code,
    [property: Id(1)] string AmbassadorId,
    [property: Id(2)] string CampaignId,
    [property: Id(3)] string? ContentId);

/// <summary>Whose traffic: each is one grain class that keeps counters for its key.</summary>
public enum TrafficSubject { Ambassador, Campaign, Content }

/// <summary>
/// The traffic face every entity grain shares (ambassador, campaign, content piece). Tracking sends flushes and stats
/// read counters through it, by grain type and key, so Tracking needs none of the feature folders.
/// </summary>
public interface ITrafficGrain : IGrainWithStringKey
{
    /// <summary>Adds a collector's flush to the traffic counters (written behind, once per flush).</summary>
    Task RecordTrafficAsync(TrafficDelta delta);

    Task<TrafficSummary> GetTrafficAsync(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo);

    /// <summary>Per content piece, over [from, to]: a campaign's funnel in one call (empty for the other subjects).</summary>
    Task<IReadOnlyList<PieceTraffic>> GetPieceTrafficAsync(DateOnly? from, DateOnly? to);

    /// <summary>An ambassador's traffic per campaign, all time (empty for the other subjects).</summary>
    Task<IReadOnlyList<PartTraffic>> GetCampaignTrafficAsync();

    /// <summary>An ambassador's traffic in one campaign: totals, a daily series, per piece (zeros for the other subjects).</summary>
    Task<CampaignPartTraffic> GetTrafficInCampaignAsync(string campaignId, DateOnly dailyFrom, DateOnly dailyTo);

    /// <summary>A campaign's traffic per member, all time (empty for the other subjects).</summary>
    Task<IReadOnlyList<PartTraffic>> GetMemberTrafficAsync();

    /// <summary>A campaign's traffic on one of its pieces per member, all time (empty for the other subjects).</summary>
    Task<IReadOnlyList<PartTraffic>> GetPieceMemberTrafficAsync(string contentId);

    /// <summary>All the counters as one delta, for a campaign importing its pieces' counters once.</summary>
    Task<TrafficDelta> ExportTrafficAsync();
}

/// <summary>State that holds traffic counters.</summary>
public interface IHoldTraffic
{
    TrafficCounters Traffic { get; }
}

/// <summary>The traffic face of an entity grain, written once for the three: counters in its state, written behind.</summary>
public abstract class TrafficGrain<TState>(IPersistentState<TState> state) : Grain, ITrafficGrain where TState : IHoldTraffic
{
    /// <summary>The grain's persistent state (its record cache and its counters).</summary>
    protected IPersistentState<TState> Stored { get; } = state;

    public Task RecordTrafficAsync(TrafficDelta delta) => TrafficWrites.ApplyAsync(Stored, s => s.Traffic, delta);

    public Task<TrafficSummary> GetTrafficAsync(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo) =>
        Task.FromResult(Stored.State.Traffic.Summarize(from, to, dailyFrom, dailyTo));

    public Task<IReadOnlyList<PieceTraffic>> GetPieceTrafficAsync(DateOnly? from, DateOnly? to) =>
        Task.FromResult(Stored.State.Traffic.SummarizePieces(from, to));

    public Task<IReadOnlyList<PartTraffic>> GetCampaignTrafficAsync() => Task.FromResult(Stored.State.Traffic.SummarizeCampaigns());

    public Task<CampaignPartTraffic> GetTrafficInCampaignAsync(string campaignId, DateOnly dailyFrom, DateOnly dailyTo) =>
        Task.FromResult(Stored.State.Traffic.SummarizeCampaign(campaignId, dailyFrom, dailyTo));

    public Task<IReadOnlyList<PartTraffic>> GetMemberTrafficAsync() => Task.FromResult(Stored.State.Traffic.SummarizeMembers());

    public Task<IReadOnlyList<PartTraffic>> GetPieceMemberTrafficAsync(string contentId) =>
        Task.FromResult(Stored.State.Traffic.Pieces.GetValueOrDefault(contentId)?.SummarizeMembers() ?? []);

    public Task<TrafficDelta> ExportTrafficAsync() => Task.FromResult(Stored.State.Traffic.Export());

    /// <summary>
    /// For state stored before a campaign counted its pieces itself: takes each piece's counters from its grain, once.
    /// A flush that reached a piece moments before and reaches the campaign just after this import is counted twice in
    /// that piece's share of the funnel (at most one second of its clicks, once per campaign, at the upgrade).
    /// </summary>
    protected async Task ImportPiecesAsync(IEnumerable<string> contentIds)
    {
        var counters = Stored.State.Traffic;
        if (counters.PiecesTracked) return;
        var grains = GrainFactory;
        foreach (var contentId in contentIds)
        {
            var piece = new TrafficCounters();
            piece.Apply(await grains.Traffic(TrafficSubject.Content, contentId).ExportTrafficAsync());
            counters.Pieces[contentId] = piece;
        }
        counters.PiecesTracked = true;
        await Stored.WriteStateAsync();
    }
}

public static class TrafficGrains
{
    // The grain types of the entity grains ([GrainType] on each class): also the first part of their stored grain ids.
    public const string AmbassadorType = "ambassador";
    public const string CampaignType = "campaign";
    public const string ContentType = "content";
    public const string ProgrammeType = "programme";

    public static ITrafficGrain Traffic(this IGrainFactory grains, TrafficSubject subject, string id) =>
        grains.GetGrain<ITrafficGrain>(GrainId.Create(subject switch
        {
            TrafficSubject.Ambassador => AmbassadorType,
            TrafficSubject.Campaign => CampaignType,
            _ => ContentType,
        }, id));
}
