using System.Text;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>
/// /portal/links/{code}/qr.png and qr.svg: the QR code of one of the signed-in ambassador's current links (else 404, like
/// any guessed code), encoding the tracked link, with the network's UTM parameters when <c>?network=</c> is given.
/// <c>?download=1</c> makes it an attachment with a readable name. Drawn by QRCoder's writers that need no System.Drawing.
/// </summary>
public sealed class LinkQrModel(IDbContextFactory<AppDbContext> contexts, PublicLinks publicLinks) : PageModel
{
    private const int PixelsPerModule = 10;

    public async Task<IActionResult> OnGetAsync(string code, string format, string? network, string? download, CancellationToken cancellationToken)
    {
        if (format is not ("png" or "svg") || ReferralCodeFormat.Problem(code) is not null) return NotFound();
        if (network is not null && !ShareLinks.IsKnown(network)) return NotFound();
        var me = User.AmbassadorId();
        var normalized = ReferralCodeFormat.Normalize(code);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var link = await (
                from referral in db.ReferralCodes
                where referral.Code == normalized && referral.AmbassadorId == me
                join member in db.Memberships on new { referral.CampaignId, referral.AmbassadorId } equals new { member.CampaignId, member.AmbassadorId }
                where member.RemovedAt == null
                join campaign in db.Campaigns on referral.CampaignId equals campaign.Id
                from piece in db.Content.Where(p => p.Id == referral.ContentId).DefaultIfEmpty()
                select new { referral.Code, Campaign = campaign.Name, Piece = piece == null ? null : piece.Title })
            .SingleOrDefaultAsync(cancellationToken);
        if (link is null) return NotFound();

        var url = ShareLinks.Tagged(publicLinks.For(link.Code), network);
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        // Only this ambassador may see it, so no shared cache keeps it. (When the session cookie is renewed with the
        // response, as it is on every request, the cookie handler writes the stricter "no-cache, no-store" over this.)
        Response.Headers.CacheControl = "private, max-age=86400";
        var fileName = download == "1" ? ShareLinks.FileName(link.Campaign, link.Piece, link.Code, network, format) : null;
        return format == "png"
            ? File(new PngByteQRCode(data).GetGraphic(PixelsPerModule), "image/png", fileName)
            : File(Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(PixelsPerModule)), "image/svg+xml", fileName);
    }
}
