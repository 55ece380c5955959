using Ambassadors.Data;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Http;
using Ambassadors.Web.ReferralCodes;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Content;

[GenerateSerializer, Immutable]
public sealed record ContentDraft(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] string Title,
    [property: Id(2)] string? Body,
    [property: Id(3)] string? MediaUrl,
    [property: Id(4)] string? DestinationUrl);

[GenerateSerializer, Immutable]
public sealed record ContentView(
    [property: Id(0)] string Id,
    [property: Id(1)] string CampaignId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Body,
    [property: Id(4)] string? MediaUrl,
    [property: Id(5)] string DestinationUrl,
    [property: Id(6)] bool UsesCampaignDestination,
    [property: Id(7)] DateTimeOffset CreatedAt);

public interface IContentGrain : IGrainWithStringKey
{
    Task<ContentView?> GetAsync();
    Task<string?> GetDestinationAsync();
    /// <summary>Stores the piece and gives every current member of the campaign a code for it.</summary>
    Task<Result<ContentView>> CreateAsync(ContentDraft draft);

    /// <summary>Adds a collector's flush to the traffic counters (written behind, once per flush).</summary>
    Task RecordTrafficAsync(TrafficDelta delta);

    Task<TrafficSummary> GetTrafficAsync(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo);
}

[GenerateSerializer]
public sealed class ContentState
{
    /// <summary>Cache of the relational record.</summary>
    [Id(0)] public StoredContent? Piece { get; set; }
    /// <summary>Clicks per day, and the ambassadors who drew counted clicks with this piece (its reach).</summary>
    [Id(1)] public TrafficCounters Traffic { get; set; } = new();
}

[GenerateSerializer, Immutable]
public sealed record StoredContent(
    [property: Id(0)] string Id,
    [property: Id(1)] string CampaignId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Body,
    [property: Id(4)] string? MediaUrl,
    [property: Id(5)] string? DestinationUrl,
    [property: Id(6)] DateTimeOffset CreatedAt)
{
    public static StoredContent From(ContentPiece p) => new(p.Id, p.CampaignId, p.Title, p.Body, p.MediaUrl, p.DestinationUrl, p.CreatedAt);
}

public sealed class ContentGrain(
    [PersistentState("content", "grains")] IPersistentState<ContentState> state,
    IDbContextFactory<AppDbContext> contexts,
    IGrainFactory grains) : Grain, IContentGrain
{
    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Piece is not null) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var piece = await db.Content.AsNoTracking().SingleOrDefaultAsync(c => c.Id == Id, cancellationToken);
        if (piece is null) return;
        state.State.Piece = StoredContent.From(piece);
        await state.WriteStateAsync(cancellationToken);
    }

    public Task RecordTrafficAsync(TrafficDelta delta) => TrafficWrites.ApplyAsync(state, s => s.Traffic, delta);

    public Task<TrafficSummary> GetTrafficAsync(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo) =>
        Task.FromResult(state.State.Traffic.Summarize(from, to, dailyFrom, dailyTo));

    public async Task<ContentView?> GetAsync() =>
        state.State.Piece is { } piece && await GetDestinationAsync() is { } destination
            ? new ContentView(piece.Id, piece.CampaignId, piece.Title, piece.Body, piece.MediaUrl, destination,
                piece.DestinationUrl is null, piece.CreatedAt)
            : null;

    public async Task<string?> GetDestinationAsync() =>
        state.State.Piece switch
        {
            null => null,
            { DestinationUrl: { } own } => own,
            { CampaignId: var campaignId } => await grains.GetGrain<ICampaignGrain>(campaignId).GetDestinationAsync(),
        };

    public async Task<Result<ContentView>> CreateAsync(ContentDraft draft)
    {
        if (state.State.Piece is not null) return Fail.Conflict($"Content {Id} already exists.");
        var published = await grains.GetGrain<ICampaignGrain>(draft.CampaignId).PublishContentAsync(Id, draft);
        if (published.Failure is { } failure) return failure;
        state.State.Piece = published.Value!.Piece;
        await state.WriteStateAsync();
        foreach (var target in published.Value.Codes)
        {
            await grains.GetGrain<IReferralCodeGrain>(ReferralCodeFormat.GrainKey(target.Code)).AssignAsync(target);
        }
        return Result<ContentView>.Ok((await GetAsync())!, created: true);
    }
}
