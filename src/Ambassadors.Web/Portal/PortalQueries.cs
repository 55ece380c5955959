using Ambassadors.Data;
using Ambassadors.Web.Portal.Pages;

namespace Ambassadors.Web.Portal;

/// <summary>What the portal reads, always narrowed to the signed-in ambassador first.</summary>
public static class PortalQueries
{
    /// <summary>The campaigns the ambassador is a member of now (not removed), newest membership first.</summary>
    public static IQueryable<PortalCampaign> CampaignsOf(AppDbContext db, string ambassadorId) =>
        from member in db.Memberships
        where member.AmbassadorId == ambassadorId && member.RemovedAt == null
        join campaign in db.Campaigns on member.CampaignId equals campaign.Id
        orderby member.JoinedAt descending
        select new PortalCampaign(campaign.Id, campaign.Name, campaign.Status, member.ReferralCode, member.JoinedAt);
}

/// <summary>How the portal names people: its owner by first name; others (leaderboards) by first name and last initial only (API.md, "Pages").</summary>
public static class PortalNames
{
    public static string FirstName(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? "" : parts[0];
    }

    /// <summary>"Anna de Vries" → "Anna V."; a single name stays as it is.</summary>
    public static string Public(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2) return parts.Length == 0 ? "" : parts[0];
        var last = parts[^1];
        return $"{parts[0]} {char.ToUpperInvariant(last[0])}.";
    }
}
