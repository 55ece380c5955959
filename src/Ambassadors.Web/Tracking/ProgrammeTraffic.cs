using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Orleans.Storage;

namespace Ambassadors.Web.Tracking;

/// <summary>All-time traffic totals across the programme: per campaign, per content piece and per ambassador.</summary>
[GenerateSerializer]
public sealed class ProgrammeCounters
{
    [Id(0)] public Dictionary<string, TrafficDay> Campaigns { get; set; } = [];
    [Id(1)] public Dictionary<string, TrafficDay> Pieces { get; set; } = [];
    [Id(2)] public Dictionary<string, TrafficDay> Ambassadors { get; set; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Campaigns.Count == 0 && Pieces.Count == 0 && Ambassadors.Count == 0;

    public void Add(ProgrammeCounters other)
    {
        Add(Campaigns, other.Campaigns);
        Add(Pieces, other.Pieces);
        Add(Ambassadors, other.Ambassadors);
    }

    private static void Add(Dictionary<string, TrafficDay> into, Dictionary<string, TrafficDay> from)
    {
        foreach (var (key, counts) in from) TrafficDay.Of(into, key).Add(counts);
    }
}

/// <summary>The programme's traffic as the results overview reads it: one call whatever the number of campaigns.</summary>
[GenerateSerializer, Immutable]
public sealed record ProgrammeTraffic(
    [property: Id(0)] IReadOnlyDictionary<string, PartTraffic> Campaigns,
    [property: Id(1)] IReadOnlyDictionary<string, PartTraffic> Pieces,
    [property: Id(2)] IReadOnlyDictionary<string, PartTraffic> Ambassadors);

public sealed class ProgrammeState
{
    public ProgrammeCounters Traffic { get; set; } = new();
    /// <summary>False until the counters kept before this grain existed were taken from the campaign grains, once.</summary>
    public bool Imported { get; set; }
}

/// <summary>
/// One grain for the whole programme's traffic totals (the results overview's clicks per campaign, piece and ambassador),
/// fed by every collector flush before its entity grains, so the overview makes one grain call, not one per campaign.
/// </summary>
public interface IProgrammeTrafficGrain : IGrainWithStringKey
{
    Task RecordAsync(ProgrammeCounters delta);

    Task<ProgrammeTraffic> GetAsync();
}

[GrainType(TrafficGrains.ProgrammeType)]
public sealed class ProgrammeTrafficGrain(
    [PersistentState("programme", "grains")] IPersistentState<ProgrammeState> state,
    IDbContextFactory<AppDbContext> contexts) : Grain, IProgrammeTrafficGrain
{
    /// <summary>The one key: there is one programme.</summary>
    public const string Key = "programme";

    /// <summary>
    /// State kept before this grain existed lives only in the campaign grains: take it once. A collector sends its flush
    /// here first and to the campaigns after, so a flush this import reads has not reached the campaigns yet.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Imported) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var campaigns = await db.Campaigns.AsNoTracking().Select(c => c.Id).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var counters = new ProgrammeCounters();
        foreach (var id in campaigns)
        {
            var grain = GrainFactory.Traffic(TrafficSubject.Campaign, id);
            var total = await grain.GetTrafficAsync(null, null, today, today);
            if (total.Clicks == 0 && total.BotClicks == 0) continue;
            TrafficDay.Of(counters.Campaigns, id).Add(new TrafficDay { Clicks = total.Clicks, UniqueVisitors = total.UniqueVisitors, BotClicks = total.BotClicks, FlaggedClicks = total.FlaggedClicks });
            foreach (var piece in await grain.GetPieceTrafficAsync(null, null))
                TrafficDay.Of(counters.Pieces, piece.ContentId).Add(new TrafficDay { Clicks = piece.Clicks, UniqueVisitors = piece.UniqueVisitors });
            foreach (var member in await grain.GetMemberTrafficAsync())
                TrafficDay.Of(counters.Ambassadors, member.Id).Add(new TrafficDay { Clicks = member.Clicks, UniqueVisitors = member.UniqueVisitors });
        }
        state.State.Traffic.Add(counters);
        state.State.Imported = true;
        await state.WriteStateAsync();
    }

    public async Task RecordAsync(ProgrammeCounters delta)
    {
        state.State.Traffic.Add(delta);
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            await state.ReadStateAsync();
            state.State.Traffic.Add(delta);
            await state.WriteStateAsync();
        }
    }

    public Task<ProgrammeTraffic> GetAsync()
    {
        static IReadOnlyDictionary<string, PartTraffic> Parts(Dictionary<string, TrafficDay> counts) =>
            counts.ToDictionary(c => c.Key, c => new PartTraffic(c.Key, c.Value.Clicks, c.Value.UniqueVisitors));
        var traffic = state.State.Traffic;
        return Task.FromResult(new ProgrammeTraffic(Parts(traffic.Campaigns), Parts(traffic.Pieces), Parts(traffic.Ambassadors)));
    }
}
