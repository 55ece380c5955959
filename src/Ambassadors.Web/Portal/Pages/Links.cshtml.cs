using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>A place to share a link: its network, the share address (null: copy the text) and the text with the link.</summary>
public sealed record ShareOption(string Network, string? Href, string Text);

/// <summary>One link as "My links" shows it: the campaign's own (no piece) or a content piece's (with its embargo, if any).</summary>
public sealed record PortalLink(string Code, string? PieceTitle, string Url, IReadOnlyList<ShareOption> Shares,
    string? ContentId = null, DateTimeOffset? EmbargoUntil = null);

/// <summary>A current campaign and its links, the campaign link first.</summary>
public sealed record CampaignLinks(PortalCampaign Campaign, IReadOnlyList<PortalLink> Links);

/// <summary>
/// /portal/links: the signed-in ambassador's links per current campaign (a removed membership's are not offered), each with
/// a copy button, its QR code and ready share texts per network. Two queries whatever the number of campaigns and pieces.
/// </summary>
public sealed class LinksModel(IDbContextFactory<AppDbContext> contexts, PublicLinks publicLinks, IStringLocalizer<LinksTexts> texts,
    TimeProvider clock) : PageModel
{
    /// <summary>From this many campaigns on, the page offers a filter.</summary>
    public const int FilterFrom = 4;

    /// <summary>Campaigns per page: about 40 links, 180 KB of page (100 campaigns on one page were 1.8 MB).</summary>
    public const int PerPage = 10;

    /// <summary>The campaign to show alone (?campaign=); one of the ambassador's current campaigns, else 404.</summary>
    [BindProperty(SupportsGet = true, Name = "campaign")] public string? CampaignId { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public int Pages { get; private set; } = 1;

    public IReadOnlyList<PortalCampaign> Campaigns { get; private set; } = [];
    public IReadOnlyList<CampaignLinks> Shown { get; private set; } = [];
    public int LinkCount { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var me = User.AmbassadorId();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Campaigns = await PortalQueries.CampaignsOf(db, me).ToListAsync(cancellationToken);
        if (CampaignId is { Length: > 0 } && Campaigns.All(c => c.Id != CampaignId)) return NotFound();
        Pages = Math.Max(1, (Campaigns.Count + PerPage - 1) / PerPage);
        if (PageNumber < 1 || PageNumber > Pages) return NotFound();
        var shown = CampaignId is { Length: > 0 }
            ? Campaigns.Where(c => c.Id == CampaignId).ToList()
            : Campaigns.Skip((PageNumber - 1) * PerPage).Take(PerPage).ToList();

        var byCampaign = (await AmbassadorLinks.OfAsync(db, me, cancellationToken))
            .Where(l => l.RemovedAt is null)
            .ToLookup(l => l.CampaignId);
        Shown = shown
            .Select(c => new CampaignLinks(c, byCampaign[c.Id].Select(l => Build(c, l)).ToList()))
            .ToList();
        // All of my links, or the chosen campaign's.
        LinkCount = CampaignId is { Length: > 0 } ? Shown.Sum(c => c.Links.Count) : Campaigns.Sum(c => byCampaign[c.Id].Count());
        Now = clock.GetUtcNow();
        return Page();
    }

    private PortalLink Build(PortalCampaign campaign, AmbassadorLink link)
    {
        var url = publicLinks.For(link.Code);
        string Text(string network)
        {
            var tagged = ShareLinks.Tagged(url, network);
            return link.ContentTitle is { } title
                ? texts["Share.Piece", title, campaign.Name, tagged]
                : texts["Share.Campaign", campaign.Name, tagged];
        }
        var subject = texts["Share.Subject", link.ContentTitle ?? campaign.Name];
        var shares = ShareLinks.WithShareUrl.Concat(ShareLinks.CopyOnly)
            .Select(network => (Network: network, Text: Text(network)))
            .Select(s => new ShareOption(s.Network, ShareLinks.ShareUrl(s.Network, s.Text, ShareLinks.Tagged(url, s.Network), subject), s.Text))
            .ToList();
        return new PortalLink(link.Code, link.ContentTitle, url, shares, link.ContentId, link.EmbargoUntil);
    }

    public string PageUrl(int page) => page == 1 ? "/portal/links" : $"/portal/links?p={page}";

    /// <summary>The QR image of a link on this page: tagged "qr", so a scan is told apart from a click.</summary>
    public static string QrPath(string code, string format, bool download = false) =>
        $"/portal/links/{Uri.EscapeDataString(code)}/qr.{format}?network={ShareLinks.Qr}" + (download ? "&download=1" : "");
}
