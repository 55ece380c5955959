using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Feedback;

/// <summary>One rating and comment as the API shows it; <see cref="ContentId"/> null: about the campaign.</summary>
public sealed record FeedbackView(string Id, string AmbassadorId, string? ContentId, int Rating, string? Comment, DateTimeOffset CreatedAt)
{
    public static FeedbackView Of(FeedbackEntry e) => new(e.Id, e.AmbassadorId, e.ContentId, e.Rating, e.Comment, e.CreatedAt);
}

/// <summary>An entry for the managers' page: who (by name), about what (a piece's title, null: the campaign).</summary>
public sealed record FeedbackLine(FeedbackView Entry, string AmbassadorName, string? PieceTitle);

/// <summary>How many ratings of each value (index 0 is 1 star), their count and average (null when there are none).</summary>
public sealed record RatingSummary(IReadOnlyList<int> Distribution)
{
    public int Count => Distribution.Sum();

    public double? Average => Count == 0 ? null : Math.Round(Distribution.Select((n, i) => (double)n * (i + 1)).Sum() / Count, 2);

    public static RatingSummary Of(IEnumerable<(int Rating, int Count)> counts)
    {
        var distribution = new int[5];
        foreach (var (rating, count) in counts) distribution[rating - 1] += count;
        return new RatingSummary(distribution);
    }
}

/// <summary>A campaign's feedback in figures: all of it, and per piece (key null: about the campaign itself).</summary>
public sealed record FeedbackFigures(RatingSummary All, IReadOnlyDictionary<string, RatingSummary> PerPiece, RatingSummary Campaign);

/// <summary>The API's answer: GET /api/v1/campaigns/{id}/feedback.</summary>
public sealed record FeedbackList(double? Average, int Count, IReadOnlyList<FeedbackView> Entries);

/// <summary>
/// Members' feedback (1-5 and a comment) on a campaign or one of its pieces: given in the portal (and by the demo), read by
/// managers. Each time a member gives feedback is an entry of its own (docs/decisions.md, "Feedback").
/// </summary>
public sealed class FeedbackService(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public const int MaxComment = 2000;

    /// <summary>
    /// Stores a member's feedback. Not a current member of the campaign, or a piece of another campaign: NotFound (the portal
    /// answers 404, as for a guessed id). A rating outside 1..5 or a comment too long or with control characters: Invalid, naming
    /// "rating" or "comment".
    /// </summary>
    public async Task<Result<FeedbackView>> GiveAsync(
        string ambassadorId, string campaignId, string? contentId, int rating, string? comment, CancellationToken cancellationToken)
    {
        var check = new Validation();
        if (rating is < 1 or > 5) check.Add("rating", "'rating' must be a whole number from 1 to 5.");
        var text = check.Optional("comment", comment, MaxComment, multiline: true);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await IsMemberAsync(db, ambassadorId, campaignId, cancellationToken)) return Fail.NotFound($"No campaign {campaignId}.");
        if (contentId is not null && !await db.Content.AnyAsync(c => c.Id == contentId && c.CampaignId == campaignId, cancellationToken))
        {
            return Fail.NotFound($"No content {contentId}.");
        }
        if (!check.IsValid) return Fail.Invalid(check.Errors.AsReadOnly(), "The feedback has fields to correct.");
        var entry = new FeedbackEntry
        {
            Id = Ids.New("fbk"), CampaignId = campaignId, ContentId = contentId, AmbassadorId = ambassadorId, Rating = rating,
            Comment = text, CreatedAt = clock.GetUtcNow(),
        };
        db.Feedback.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return Result<FeedbackView>.Ok(FeedbackView.Of(entry), created: true);
    }

    /// <summary>Whether the ambassador is a member of the campaign now (not removed).</summary>
    public static Task<bool> IsMemberAsync(AppDbContext db, string ambassadorId, string campaignId, CancellationToken cancellationToken) =>
        db.Memberships.AnyAsync(m => m.AmbassadorId == ambassadorId && m.CampaignId == campaignId && m.RemovedAt == null, cancellationToken);

    /// <summary>What the ambassador said before about the piece (or, with <paramref name="contentId"/> null, about the campaign), newest first.</summary>
    public async Task<IReadOnlyList<FeedbackView>> MineAsync(
        string ambassadorId, string campaignId, string? contentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Feedback.AsNoTracking()
            .Where(f => f.AmbassadorId == ambassadorId && f.CampaignId == campaignId && f.ContentId == contentId)
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Take(50)
            .Select(f => new FeedbackView(f.Id, f.AmbassadorId, f.ContentId, f.Rating, f.Comment, f.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The campaign's ratings counted in one grouped query: overall, per piece and about the campaign itself.</summary>
    public static async Task<FeedbackFigures> FiguresAsync(AppDbContext db, string campaignId, CancellationToken cancellationToken)
    {
        var groups = await db.Feedback.AsNoTracking().Where(f => f.CampaignId == campaignId)
            .GroupBy(f => new { f.ContentId, f.Rating })
            .Select(g => new { g.Key.ContentId, g.Key.Rating, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var perPiece = groups.Where(g => g.ContentId is not null).GroupBy(g => g.ContentId!)
            .ToDictionary(g => g.Key, g => RatingSummary.Of(g.Select(x => (x.Rating, x.Count))), StringComparer.Ordinal);
        return new FeedbackFigures(
            RatingSummary.Of(groups.Select(g => (g.Rating, g.Count))),
            perPiece,
            RatingSummary.Of(groups.Where(g => g.ContentId is null).Select(g => (g.Rating, g.Count))));
    }

    /// <summary>
    /// The campaign's entries newest first, with who and about what; <paramref name="about"/>: a piece's id, "campaign" for
    /// the campaign's own, null for all.
    /// </summary>
    public static async Task<(IReadOnlyList<FeedbackLine> Lines, int Total)> EntriesAsync(
        AppDbContext db, string campaignId, string? about, int skip, int take, CancellationToken cancellationToken)
    {
        var entries = db.Feedback.AsNoTracking().Where(f => f.CampaignId == campaignId);
        if (about == CampaignOnly) entries = entries.Where(f => f.ContentId == null);
        else if (about is not null) entries = entries.Where(f => f.ContentId == about);
        var total = await entries.CountAsync(cancellationToken);
        if (take == 0) return ([], total);
        var rows = await (
                from f in entries
                join a in db.Ambassadors on f.AmbassadorId equals a.Id
                from piece in db.Content.Where(c => c.Id == f.ContentId).DefaultIfEmpty()
                orderby f.CreatedAt descending, f.Id descending
                select new { f, a.Name, Title = piece == null ? null : piece.Title })
            .Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (rows.Select(r => new FeedbackLine(FeedbackView.Of(r.f), r.Name, r.Title)).ToList(), total);
    }

    /// <summary>The filter value for feedback about the campaign itself (not one of its pieces).</summary>
    public const string CampaignOnly = "campaign";
}
