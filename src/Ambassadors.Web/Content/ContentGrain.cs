using Ambassadors.Data;
using Ambassadors.Web.Http;
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

/// <summary>
/// A content piece as its grain keeps and returns it. <see cref="DestinationUrl"/> is the piece's own (null: the
/// campaign's). Property names are the stored JSON's.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContentRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string CampaignId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Body,
    [property: Id(4)] string? MediaUrl,
    [property: Id(5)] string? DestinationUrl,
    [property: Id(6)] DateTimeOffset CreatedAt)
{
    public static ContentRecord From(ContentPiece p) => new(p.Id, p.CampaignId, p.Title, p.Body, p.MediaUrl, p.DestinationUrl, p.CreatedAt);
}

public interface IContentGrain : ITrafficGrain
{
    Task<ContentRecord?> GetAsync();

    /// <summary>Stores the piece and gives every member of its campaign a link for it (<see cref="ContentLinks"/>).</summary>
    Task<Result<ContentRecord>> CreateAsync(ContentDraft draft);
}

[GenerateSerializer]
public sealed class ContentState : IHoldTraffic
{
    /// <summary>Cache of the relational record (docs/decisions.md, "Grains that cache records").</summary>
    [Id(0)] public ContentRecord? Piece { get; set; }
    /// <summary>Clicks per day, and the ambassadors who drew counted clicks with this piece (its reach).</summary>
    [Id(1)] public TrafficCounters Traffic { get; set; } = new();
}

[GrainType(TrafficGrains.ContentType)]
public sealed class ContentGrain(
    [PersistentState("content", "grains")] IPersistentState<ContentState> state,
    IDbContextFactory<AppDbContext> contexts,
    TimeProvider clock) : TrafficGrain<ContentState>(state), IContentGrain
{
    private const int CodeAttempts = 8;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var piece = await db.Content.AsNoTracking().SingleOrDefaultAsync(c => c.Id == Id, cancellationToken);
        if (piece is null || ContentRecord.From(piece) == Stored.State.Piece) return;
        Stored.State.Piece = ContentRecord.From(piece);
        await Stored.WriteStateAsync(cancellationToken);
    }



    public Task<ContentRecord?> GetAsync() => Task.FromResult(Stored.State.Piece);

    public async Task<Result<ContentRecord>> CreateAsync(ContentDraft draft)
    {
        if (Stored.State.Piece is not null) return Fail.Conflict($"Content {Id} already exists.");
        var now = clock.GetUtcNow();
        ContentPiece piece;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (!await db.Campaigns.AnyAsync(c => c.Id == draft.CampaignId)) return Fail.NotFound($"No campaign {draft.CampaignId}.");
            piece = new ContentPiece
            {
                Id = Id,
                CampaignId = draft.CampaignId,
                Title = draft.Title,
                Body = draft.Body,
                MediaUrl = draft.MediaUrl,
                DestinationUrl = draft.DestinationUrl,
                CreatedAt = now,
            };
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Content.Add(piece);
            var members = await db.Memberships.Where(m => m.CampaignId == draft.CampaignId).Select(m => m.AmbassadorId).ToListAsync();
            db.ReferralCodes.AddRange(members.Select(member => new ReferralCode
            {
                Code = ReferralCodeFormat.Generate(), AmbassadorId = member, CampaignId = draft.CampaignId, ContentId = Id, CreatedAt = now,
            }));
            try
            {
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
                break;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < CodeAttempts)
            {
                // A generated code met an existing one (odds about one in a billion per code): draw again.
            }
        }
        // Members who joined while this piece was stored (perhaps on another node) get their link now.
        await ContentLinks.BackfillAsync(contexts, draft.CampaignId, now);
        Stored.State.Piece = ContentRecord.From(piece);
        await Stored.WriteStateAsync();
        return Result<ContentRecord>.Ok(Stored.State.Piece, created: true);
    }
}
