using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles;

/// <summary>Whether an ambassador can use the portal: an account (active), an open invitation (invited), or neither.</summary>
public enum PortalStatus { NotInvited, Invited, Active }

public sealed record DirectoryFilter(string? Search, string? CampaignId, string? Country, PortalStatus? Status, int Page);

public sealed record DirectoryRow(
    string Id, string Name, string Email, string? Country, IReadOnlyList<string> Campaigns, long PotentialReach, PortalStatus Status);

/// <summary>
/// The managers' list of ambassadors: filtered, counted and paged in SQL (so 10,000 ambassadors cost one count and one page
/// of rows), then the page's campaigns and statuses in two more queries for its ids only.
/// </summary>
public static class AmbassadorDirectory
{
    public const int PageSize = 50;

    public static async Task<(IReadOnlyList<DirectoryRow> Rows, int Total)> ListAsync(
        AppDbContext db, DirectoryFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var query = db.Ambassadors.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim().ToLowerInvariant();
            query = query.Where(a => a.NormalizedEmail.Contains(term) || a.Name.ToLower().Contains(term));
        }
        if (filter.CampaignId is { } campaign)
        {
            query = query.Where(a => db.Memberships.Any(m => m.AmbassadorId == a.Id && m.CampaignId == campaign && m.RemovedAt == null));
        }
        if (filter.Country is { } country) query = query.Where(a => a.Country == country);
        var active = (IQueryable<Ambassador> q) => q.Where(a => db.Users.Any(u => u.AmbassadorId == a.Id));
        var invited = (IQueryable<Ambassador> q) => q.Where(a => !db.Users.Any(u => u.AmbassadorId == a.Id)
            && db.AccessTokens.Any(t => t.AmbassadorId == a.Id && t.Purpose == AccessTokenPurpose.Invitation && t.UsedAt == null && t.ExpiresAt > now));
        query = filter.Status switch
        {
            PortalStatus.Active => active(query),
            PortalStatus.Invited => invited(query),
            PortalStatus.NotInvited => query.Where(a => !db.Users.Any(u => u.AmbassadorId == a.Id)
                && !db.AccessTokens.Any(t => t.AmbassadorId == a.Id && t.Purpose == AccessTokenPurpose.Invitation && t.UsedAt == null && t.ExpiresAt > now)),
            _ => query,
        };

        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(a => a.Name).ThenBy(a => a.Id)
            .Skip((Math.Max(filter.Page, 1) - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var ids = page.Select(a => a.Id).ToList();
        var campaigns = (await (
                from m in db.Memberships.AsNoTracking()
                where ids.Contains(m.AmbassadorId) && m.RemovedAt == null
                join c in db.Campaigns on m.CampaignId equals c.Id
                select new { m.AmbassadorId, c.Name })
            .ToListAsync(cancellationToken)).ToLookup(r => r.AmbassadorId, r => r.Name);
        var activeIds = (await db.Users.AsNoTracking().Where(u => u.AmbassadorId != null && ids.Contains(u.AmbassadorId))
            .Select(u => u.AmbassadorId!).ToListAsync(cancellationToken)).ToHashSet();
        var invitedIds = (await db.AccessTokens.AsNoTracking()
            .Where(t => t.AmbassadorId != null && ids.Contains(t.AmbassadorId) && t.Purpose == AccessTokenPurpose.Invitation && t.UsedAt == null && t.ExpiresAt > now)
            .Select(t => t.AmbassadorId!).ToListAsync(cancellationToken)).ToHashSet();
        var rows = page.Select(a => new DirectoryRow(a.Id, a.Name, a.Email, a.Country,
            campaigns[a.Id].Order(StringComparer.CurrentCulture).ToList(), a.Followers,
            activeIds.Contains(a.Id) ? PortalStatus.Active : invitedIds.Contains(a.Id) ? PortalStatus.Invited : PortalStatus.NotInvited)).ToList();
        return (rows, total);
    }

    public static async Task<PortalStatus> StatusOfAsync(AppDbContext db, string ambassadorId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Users.AnyAsync(u => u.AmbassadorId == ambassadorId, cancellationToken) ? PortalStatus.Active
        : await db.AccessTokens.AnyAsync(t => t.AmbassadorId == ambassadorId && t.Purpose == AccessTokenPurpose.Invitation && t.UsedAt == null
            && t.ExpiresAt > now, cancellationToken) ? PortalStatus.Invited
        : PortalStatus.NotInvited;

    /// <summary>The status as a URL and CSS name: active, invited, not-invited.</summary>
    public static string Slug(this PortalStatus status) => status switch
    {
        PortalStatus.Active => "active",
        PortalStatus.Invited => "invited",
        _ => "not-invited",
    };

    public static PortalStatus? ParseStatus(string? slug) =>
        Enum.GetValues<PortalStatus>().Cast<PortalStatus?>().FirstOrDefault(s => s!.Value.Slug() == slug);
}
