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
    [property: Id(4)] string? DestinationUrl,
    [property: Id(5)] DateTimeOffset? EmbargoUntil = null,
    [property: Id(6)] ContentActor? By = null);

/// <summary>Who changes a piece, for the audit log: "key:{id}", "user:{id}" or "bootstrap", and the name people read.</summary>
[GenerateSerializer, Immutable]
public sealed record ContentActor([property: Id(0)] string Actor, [property: Id(1)] string? Name);

/// <summary>
/// A piece's fields after an edit, all of them (the caller applies its patch to the current record): null clears an
/// optional field. <see cref="DestinationUrl"/> null means the campaign's destination.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContentEdit(
    [property: Id(0)] string Title,
    [property: Id(1)] string? Body,
    [property: Id(2)] string? MediaUrl,
    [property: Id(3)] string? DestinationUrl,
    [property: Id(4)] DateTimeOffset? EmbargoUntil);

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
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? EmbargoUntil = null,
    [property: Id(8)] DateTimeOffset? UpdatedAt = null)
{
    public static ContentRecord From(ContentPiece p) =>
        new(p.Id, p.CampaignId, p.Title, p.Body, p.MediaUrl, p.DestinationUrl, p.CreatedAt, p.EmbargoUntil, p.UpdatedAt);

    /// <summary>The fields an edit replaces, as they are now (a method: the stored state holds the record's own properties only).</summary>
    public ContentEdit Editable() => new(Title, Body, MediaUrl, DestinationUrl, EmbargoUntil);
}

public interface IContentGrain : ITrafficGrain
{
    Task<ContentRecord?> GetAsync();

    /// <summary>Stores the piece and gives every member of its campaign a link for it (<see cref="ContentLinks"/>).</summary>
    Task<Result<ContentRecord>> CreateAsync(ContentDraft draft);

    /// <summary>Replaces the piece's fields (the API's PATCH and the edit page alike) and audits what changed.</summary>
    Task<Result<ContentRecord>> UpdateAsync(ContentEdit edit, ContentActor by);
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
                EmbargoUntil = draft.EmbargoUntil,
                CreatedAt = now,
            };
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Content.Add(piece);
            var members = await db.Memberships.Where(m => m.CampaignId == draft.CampaignId).Select(m => m.AmbassadorId).ToListAsync();
            db.ReferralCodes.AddRange(members.Select(member => new ReferralCode
            {
                Code = ReferralCodeFormat.Generate(), AmbassadorId = member, CampaignId = draft.CampaignId, ContentId = Id, CreatedAt = now,
            }));
            var by = draft.By ?? new ContentActor("bootstrap", null);
            db.AuditLog.Add(new AuditEntry
            {
                At = now, Actor = by.Actor, ActorName = by.Name, Action = "content.created", EntityType = "content", EntityId = Id,
                Details = ContentAudit.Created(piece, members.Count),
            });
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

    public async Task<Result<ContentRecord>> UpdateAsync(ContentEdit edit, ContentActor by)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var piece = await db.Content.SingleOrDefaultAsync(c => c.Id == Id);
        if (piece is null) return Fail.NotFound($"No content {Id}.");
        var before = ContentRecord.From(piece).Editable();
        if (before == edit)
        {
            Stored.State.Piece = ContentRecord.From(piece);
            return Result<ContentRecord>.Ok(Stored.State.Piece);
        }
        var now = clock.GetUtcNow();
        piece.Title = edit.Title;
        piece.Body = edit.Body;
        piece.MediaUrl = edit.MediaUrl;
        piece.DestinationUrl = edit.DestinationUrl;
        piece.EmbargoUntil = edit.EmbargoUntil;
        piece.UpdatedAt = now;
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Actor = by.Actor, ActorName = by.Name, Action = "content.updated", EntityType = "content", EntityId = Id,
            Details = ContentAudit.Difference(before, edit),
        });
        await db.SaveChangesAsync();
        Stored.State.Piece = ContentRecord.From(piece);
        await Stored.WriteStateAsync();
        return Result<ContentRecord>.Ok(Stored.State.Piece);
    }
}

/// <summary>What the audit log says about a piece: the fields set on creation, each change as "field: old -> new".</summary>
public static class ContentAudit
{
    private const int Shown = 80;

    public static string Created(ContentPiece piece, int links) =>
        $"title: {Short(piece.Title)}; embargoUntil: {Instant(piece.EmbargoUntil)}; links: {links}";

    public static string Difference(ContentEdit before, ContentEdit after)
    {
        var changes = new List<string>();
        void Compare(string field, string? old, string? now)
        {
            if (!string.Equals(old, now, StringComparison.Ordinal)) changes.Add($"{field}: {Short(old)} -> {Short(now)}");
        }
        Compare("title", before.Title, after.Title);
        // The body can be long: say that it changed and how long it is now.
        if (!string.Equals(before.Body, after.Body, StringComparison.Ordinal)) changes.Add($"body: {after.Body?.Length ?? 0} characters");
        Compare("mediaUrl", before.MediaUrl, after.MediaUrl);
        Compare("destinationUrl", before.DestinationUrl, after.DestinationUrl);
        Compare("embargoUntil", Instant(before.EmbargoUntil), Instant(after.EmbargoUntil));
        return string.Join("; ", changes);
    }

    private static string Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    private static string Short(string? text) => text is null ? "none" : text.Length <= Shown ? text : text[..Shown] + "…";
}
