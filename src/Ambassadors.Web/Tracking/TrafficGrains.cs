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
}

public static class TrafficGrains
{
    // The grain types of the entity grains ([GrainType] on each class): also the first part of their stored grain ids.
    public const string AmbassadorType = "ambassador";
    public const string CampaignType = "campaign";
    public const string ContentType = "content";

    public static ITrafficGrain Traffic(this IGrainFactory grains, TrafficSubject subject, string id) =>
        grains.GetGrain<ITrafficGrain>(GrainId.Create(subject switch
        {
            TrafficSubject.Ambassador => AmbassadorType,
            TrafficSubject.Campaign => CampaignType,
            _ => ContentType,
        }, id));
}
