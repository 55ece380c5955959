using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ambassadors.Data;
using Ambassadors.Web.ReferralCodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using QRCoder;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// "My links" (/portal/links) and its QR codes: exactly my current links, share addresses that decode to the right text
/// and tagged link, QR images of my codes only (404 for anyone else's and for guesses), and the link's UTM parameters
/// carried through the redirect to the destination.
/// </summary>
public abstract partial class LinksTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    /// <summary>A signed-in ambassador in a campaign with two content pieces; returns the codes by piece title (campaign link: "").</summary>
    private async Task<(StaffBrowser Browser, string AmbassadorId, string CampaignId, Dictionary<string, string> Codes)> MemberWithPiecesAsync(
        string campaignName = "Fiesta Movement")
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync(name: campaignName))["id"].Str();
        foreach (var title in new[] { "Spring video", "Café tour" })
        {
            await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title })).AssertJsonAsync(HttpStatusCode.Created);
        }
        var (browser, ambassadorId, _) = await PortalBrowser.SignedInAsync(App, campaignId);
        await using (var db = App.Db())
        {
            await db.Memberships.Where(m => m.AmbassadorId == ambassadorId && m.CampaignId == campaignId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.JoinedAt, DateTimeOffset.UtcNow.AddDays(-3).AddMinutes(-5)));
        }
        return (browser, ambassadorId, campaignId, await CodesAsync(ambassadorId, campaignId));
    }

    private async Task<Dictionary<string, string>> CodesAsync(string ambassadorId, string campaignId)
    {
        await using var db = App.Db();
        return await (from code in db.ReferralCodes
                      where code.AmbassadorId == ambassadorId && code.CampaignId == campaignId
                      from piece in db.Content.Where(p => p.Id == code.ContentId).DefaultIfEmpty()
                      select new { code.Code, Title = piece == null ? "" : piece.Title })
            .ToDictionaryAsync(c => c.Title, c => c.Code);
    }

    [SkippableFact]
    public async Task ThePageListsExactlyMyCurrentLinksWithCopyButtonsAndQrCodes()
    {
        var (browser, me, campaignId, codes) = await MemberWithPiecesAsync();
        var admin = App.Admin();
        // A campaign I was removed from: its links still redirect but are not offered for sharing.
        var left = (await admin.CreateCampaignAsync(name: "Old Campaign"))["id"].Str();
        var leftCode = (await PortalBrowser.EnrolAsync(App, left, me))["referralCode"].Str();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{left}/ambassadors/{me}")).StatusCode);
        // Another ambassador in my campaign and in one of their own.
        var (_, other, _) = await PortalBrowser.SignedInAsync(App, campaignId, "Bram Bakker");
        var otherCodes = await CodesAsync(other, campaignId);
        var theirs = (await admin.CreateCampaignAsync(name: "Bram's Own"))["id"].Str();
        await PortalBrowser.EnrolAsync(App, theirs, other);

        var html = await browser.GetPageAsync("/portal/links");

        Assert.Contains("<h1>My links</h1>", html);
        Assert.Contains("3 links to share", html);
        var shown = LinkIds().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { codes[""], codes["Spring video"], codes["Café tour"] }.Order(), shown.Order());
        Assert.DoesNotContain(leftCode, html);
        Assert.DoesNotContain("Old Campaign", html);
        Assert.DoesNotContain("Bram", html);
        Assert.All(otherCodes.Values, code => Assert.DoesNotContain(code, html));
        Assert.Contains("<h3>Campaign link</h3>", html);
        Assert.Contains("<h3>Spring video</h3>", html);
        Assert.Contains("<h3>Café tour</h3>", html);
        Assert.Contains("Joined 3 days ago", html); // Humanizer
        var url = $"http://localhost/r/{codes["Spring video"]}";
        Assert.Contains($"<code class=\"url\" data-testid=\"url\">{url}</code>", html);
        Assert.Contains($"data-copy=\"{url}\" data-copied=\"Copied\"", html);
        Assert.Contains($"src=\"/portal/links/{codes["Spring video"]}/qr.png?network=qr\"", html);
        Assert.Contains($"href=\"/portal/links/{codes["Spring video"]}/qr.svg?network=qr&amp;download=1\"", html);
        Assert.Contains("<script src=\"/assets/copy-links.js\"></script>", html);
        // Few campaigns: no filter.
        Assert.DoesNotContain("data-testid=\"filter\"", html);
    }

    [SkippableFact]
    public async Task EachNetworksShareAddressDecodesToTheTextAndTheLinkTaggedWithTheNetwork()
    {
        var (browser, _, _, codes) = await MemberWithPiecesAsync("Fiesta & Friends");
        var html = await browser.GetPageAsync("/portal/links");
        var campaignCode = codes[""];
        var pieceCode = codes["Café tour"];
        string Link(string code, string network) => $"http://localhost/r/{code}?utm_source={network}&utm_medium=ambassador";

        var block = BlockOf(html, campaignCode);
        Assert.Equal($"I'm an ambassador for Fiesta & Friends. Take a look: {Link(campaignCode, "whatsapp")}",
            Query(ShareHref(block, "whatsapp"), "https://wa.me/")["text"]);
        Assert.Equal($"I'm an ambassador for Fiesta & Friends. Take a look: {Link(campaignCode, "x")}",
            Query(ShareHref(block, "x"), "https://x.com/intent/tweet")["text"]);
        Assert.Equal(Link(campaignCode, "facebook"), Query(ShareHref(block, "facebook"), "https://www.facebook.com/sharer/sharer.php")["u"]);
        Assert.Equal(Link(campaignCode, "linkedin"), Query(ShareHref(block, "linkedin"), "https://www.linkedin.com/sharing/share-offsite/")["url"]);
        var email = ShareHref(block, "email");
        Assert.DoesNotContain("+", email); // mailto: spaces are %20
        var mail = Query(email, "mailto:");
        Assert.Equal("Take a look at Fiesta & Friends", mail["subject"]);
        Assert.Equal($"I'm an ambassador for Fiesta & Friends. Take a look: {Link(campaignCode, "email")}", mail["body"]);
        // Instagram and TikTok have no share address: a text to copy, with its own tagged link.
        Assert.Contains($"<p class=\"text\">I&#x27;m an ambassador for Fiesta &amp; Friends. Take a look: {Link(campaignCode, "instagram").Replace("&", "&amp;")}</p>", block);
        Assert.Contains($"data-copy=\"I&#x27;m an ambassador for Fiesta &amp; Friends. Take a look: {Link(campaignCode, "tiktok").Replace("&", "&amp;")}\"", block);

        // A piece's texts name the piece and the campaign.
        var piece = BlockOf(html, pieceCode);
        Assert.Equal($"Café tour, from Fiesta & Friends. Take a look: {Link(pieceCode, "whatsapp")}", Query(ShareHref(piece, "whatsapp"), "https://wa.me/")["text"]);
        Assert.Equal("Take a look at Café tour", Query(ShareHref(piece, "email"), "mailto:")["subject"]);

        // In Dutch, the same links with Dutch words.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/portal/links");
        request.Headers.AcceptLanguage.ParseAdd("nl");
        var dutch = await (await browser.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<h1>Mijn links</h1>", dutch);
        Assert.Contains("3 links om te delen", dutch);
        Assert.Contains("Lid geworden 3 dagen geleden", dutch);
        Assert.Equal($"Ik ben ambassadeur van Fiesta & Friends. Neem een kijkje: {Link(campaignCode, "whatsapp")}",
            Query(ShareHref(BlockOf(dutch, campaignCode), "whatsapp"), "https://wa.me/")["text"]);
        Assert.Equal("Bekijk Café tour eens", Query(ShareHref(BlockOf(dutch, pieceCode), "email"), "mailto:")["subject"]);
    }

    [SkippableFact]
    public async Task TheQrCodesAreImagesOfMyTrackedLinkTaggedWithTheNetwork()
    {
        var (browser, _, _, codes) = await MemberWithPiecesAsync();
        var code = codes["Spring video"];

        var png = await browser.GetAsync($"/portal/links/{code.ToLowerInvariant()}/qr.png?network=qr");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        // Never in a shared cache: "private", or the stricter "no-store" the session's renewal writes (docs/decisions.md).
        Assert.True(png.Headers.CacheControl!.Private || png.Headers.CacheControl.NoStore, png.Headers.CacheControl.ToString());
        Assert.Null(png.Content.Headers.ContentDisposition);
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        var tagged = $"http://localhost/r/{code}?utm_source=qr&utm_medium=ambassador";
        Assert.Equal(Modules(tagged), PngModules(bytes));

        var svg = await browser.GetAsync($"/portal/links/{code}/qr.svg?network=instagram&download=1");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", svg.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"fiesta-movement-spring-video-{code.ToLowerInvariant()}-instagram.svg", svg.Content.Headers.ContentDisposition.FileNameStar);
        var document = XDocument.Parse(await svg.Content.ReadAsStringAsync());
        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.Equal(Modules($"http://localhost/r/{code}?utm_source=instagram&utm_medium=ambassador"), SvgModules(document));

        // Without a network: the plain link; a piece with an accent gets a plain-letters file name.
        var plain = await browser.GetAsync($"/portal/links/{codes["Café tour"]}/qr.png?download=1");
        Assert.Equal($"fiesta-movement-cafe-tour-{codes["Café tour"].ToLowerInvariant()}-link.png", plain.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal(Modules($"http://localhost/r/{codes["Café tour"]}"), PngModules(await plain.Content.ReadAsByteArrayAsync()));
    }

    [SkippableFact]
    public async Task AnotherAmbassadorsCodesRemovedLinksAndGuessesAnswer404AndStrangersGoToLogin()
    {
        var (browser, me, campaignId, codes) = await MemberWithPiecesAsync();
        var (_, other, _) = await PortalBrowser.SignedInAsync(App, campaignId, "Bram Bakker");
        var theirs = await CodesAsync(other, campaignId);
        var theirCampaign = (await App.Admin().CreateCampaignAsync(name: "Bram's Own"))["id"].Str();
        await PortalBrowser.EnrolAsync(App, theirCampaign, other);
        var left = (await App.Admin().CreateCampaignAsync(name: "Old Campaign"))["id"].Str();
        var leftCode = (await PortalBrowser.EnrolAsync(App, left, me))["referralCode"].Str();
        Assert.Equal(HttpStatusCode.NoContent, (await App.Admin().DeleteAsync($"/api/v1/campaigns/{left}/ambassadors/{me}")).StatusCode);

        var probes = new List<string>();
        foreach (var code in theirs.Values.Append(leftCode).Append("ZZZZ9999").Append("no"))
        {
            probes.Add($"/portal/links/{code}/qr.png");
            probes.Add($"/portal/links/{code}/qr.svg?download=1");
        }
        probes.Add($"/portal/links/{codes[""]}/qr.gif");
        probes.Add($"/portal/links/{codes[""]}/qr.png?network=myspace");
        probes.Add($"/portal/links/{Uri.EscapeDataString("../" + codes[""])}/qr.png");
        probes.Add($"/portal/links?campaign={theirCampaign}");
        probes.Add($"/portal/links?campaign={left}");
        probes.Add("/portal/links?campaign=cmp_abcdefghijkmnpqr");
        foreach (var probe in probes)
        {
            var response = await browser.GetAsync(probe);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{probe}: {(int)response.StatusCode}");
        }

        var stranger = StaffBrowser.Open(App);
        foreach (var path in new[] { "/portal/links", $"/portal/links/{codes[""]}/qr.png", $"/portal/links/{codes[""]}/qr.svg" })
        {
            var response = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/login?ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
        }
        var (staff, _) = await StaffBrowser.SignedInAsync(App, "manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync($"/portal/links/{codes[""]}/qr.png")).StatusCode);
    }

    [SkippableFact]
    public async Task WithManyCampaignsAFilterShowsOneOfThem()
    {
        var (browser, me, campaignId, codes) = await MemberWithPiecesAsync();
        var admin = App.Admin();
        var others = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var id = (await admin.CreateCampaignAsync(name: $"Campaign {i}"))["id"].Str();
            await PortalBrowser.EnrolAsync(App, id, me);
            others.Add(id);
        }
        var all = await browser.GetPageAsync("/portal/links");
        Assert.Contains("data-testid=\"filter\"", all);
        Assert.Contains("All campaigns (4)", all);
        Assert.Contains("6 links to share", all);

        var one = await browser.GetPageAsync($"/portal/links?campaign={campaignId}");
        Assert.Contains("3 links to share", one);
        Assert.Contains($"<option value=\"{campaignId}\" selected=\"selected\">Fiesta Movement</option>", one);
        Assert.Contains($"data-testid=\"campaign-{campaignId}\"", one);
        Assert.All(others, id => Assert.DoesNotContain($"data-testid=\"campaign-{id}\"", one));
        Assert.Contains(codes["Spring video"], one);
        Assert.DoesNotContain("data-testid=\"paging\"", all);

        // More than 10 campaigns: 10 to a page, newest membership first (mine in Fiesta Movement is the oldest).
        for (var i = 4; i <= 10; i++) await PortalBrowser.EnrolAsync(App, (await admin.CreateCampaignAsync(name: $"Campaign {i}"))["id"].Str(), me);
        var first = await browser.GetPageAsync("/portal/links");
        Assert.Contains("Page 1 of 2", first);
        Assert.Contains("13 links to share", first);
        Assert.Equal(10, CampaignSections().Matches(first).Count);
        Assert.DoesNotContain($"data-testid=\"campaign-{campaignId}\"", first);
        var second = await browser.GetPageAsync("/portal/links?p=2");
        Assert.Contains("Page 2 of 2", second);
        Assert.Equal([campaignId], CampaignSections().Matches(second).Select(m => m.Groups[1].Value));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/portal/links?p=3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/portal/links?p=0")).StatusCode);
    }

    [SkippableFact]
    public async Task TheRedirectPassesTheLinksUtmToTheDestinationKeepingTheDestinationsOwnAndCountsOneClick()
    {
        var admin = App.Admin();
        // The destination carries utm_source=ambassadors and a fragment (Clicks.CampaignWithMemberAsync).
        var (campaignId, _, code) = await admin.CampaignWithMemberAsync();
        var visitor = App.Visitor();

        var response = await visitor.ClickAsync($"{code}?utm_source=whatsapp&utm_medium=ambassador&utm_content=story%20%231&ref=EVIL&click_id=clk_forged&x=1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var clickId = Clicks.ClickIdOf(response);
        // The destination's own utm_source wins; the link adds what the destination lacks; nothing else passes.
        Assert.Equal($"https://shop.example/fiesta?utm_source=ambassadors&utm_medium=ambassador&utm_content=story%20%231&ref={code}&click_id={clickId}#top",
            response.Headers.Location!.OriginalString);

        var stats = await admin.StatsWhenAsync($"/api/v1/campaigns/{campaignId}/stats", s => s["clicks"].Long() >= 1);
        await Task.Delay(1500); // a second flush would show a double count
        stats = await admin.StatsWhenAsync($"/api/v1/campaigns/{campaignId}/stats", _ => true);
        Assert.Equal(1, stats["clicks"].Long());
        await using var db = App.Db();
        Assert.Equal(1, await db.Clicks.CountAsync(c => c.Code == code));
        Assert.True(await db.Clicks.AnyAsync(c => c.Id == clickId));
    }

    [SkippableFact]
    public async Task ALinkWithoutAQueryRedirectsAsBefore()
    {
        var (_, _, code) = await App.Admin().CampaignWithMemberAsync();
        var response = await App.Visitor().ClickAsync(code);
        Assert.Equal($"https://shop.example/fiesta?utm_source=ambassadors&ref={code}&click_id={Clicks.ClickIdOf(response)}#top",
            response.Headers.Location!.OriginalString);
    }

    private static string BlockOf(string html, string code)
    {
        var start = html.IndexOf($"data-testid=\"link-{code}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No link {code} on the page.");
        var end = html.IndexOf("</li>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private static string ShareHref(string block, string network)
    {
        var match = Regex.Match(block, $"href=\"([^\"]+)\"[^>]*data-testid=\"share-{network}\"");
        Assert.True(match.Success, $"No {network} share link.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The decoded query of a share address, after checking where it points.</summary>
    private static Dictionary<string, string> Query(string href, string address)
    {
        var question = href.IndexOf('?');
        Assert.Equal(address, href[..question]);
        return href[(question + 1)..].Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
    }

    /// <summary>The dark modules of the QR code of <paramref name="text"/>, quiet zone included, row by row.</summary>
    private static string Modules(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return string.Join('\n', data.ModuleMatrix.Select(row => string.Concat(Enumerable.Range(0, row.Length).Select(i => row[i] ? '#' : '.'))));
    }

    /// <summary>Reads a PNG (8-bit or less, grey or palette, no interlace) back into modules, sampling each module's centre.</summary>
    private static string PngModules(byte[] png)
    {
        int width = 0, height = 0, depth = 0, type = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            var kind = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length);
            if (kind == "IHDR")
            {
                width = (body[0] << 24) | (body[1] << 16) | (body[2] << 8) | body[3];
                height = (body[4] << 24) | (body[5] << 16) | (body[6] << 8) | body[7];
                depth = body[8];
                type = body[9];
                Assert.Equal(0, body[12]); // no interlace
            }
            if (kind == "IDAT") idat.Write(body);
            at += 12 + length;
        }
        Assert.True(type is 0 or 3, $"colour type {type}");
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = (width * depth + 7) / 8;
        bool Dark(int x, int y)
        {
            var row = y * (stride + 1);
            Assert.Equal(0, raw[row]); // filter: none
            var bit = x * depth;
            var value = (raw[row + 1 + bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
            return value == 0; // black is index/grey 0 in both of QRCoder's formats
        }
        var modules = width / 10;
        Assert.Equal(width, height);
        return string.Join('\n', Enumerable.Range(0, modules).Select(y =>
            string.Concat(Enumerable.Range(0, modules).Select(x => Dark(x * 10 + 5, y * 10 + 5) ? '#' : '.'))));
    }

    /// <summary>
    /// Reads QRCoder's SVG back into modules: a viewBox of one unit per module, a white background and one dark path of
    /// runs "M{x} {y}h{w}v1h-{w}z".
    /// </summary>
    private static string SvgModules(XDocument svg)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        var root = svg.Root!;
        var box = ((string)root.Attribute("viewBox")!).Split(' ').Select(int.Parse).ToArray();
        var modules = box[2];
        var grid = new bool[modules, modules];
        var path = Assert.Single(root.Elements(ns + "path"));
        Assert.Equal("#000", (string?)path.Attribute("fill"));
        var d = (string)path.Attribute("d")!;
        var runs = SvgRuns().Matches(d);
        Assert.Equal(d.Length, runs.Sum(m => m.Length)); // nothing else in the path
        foreach (Match run in runs)
        {
            int x = int.Parse(run.Groups[1].Value), y = int.Parse(run.Groups[2].Value), w = int.Parse(run.Groups[3].Value);
            for (var i = 0; i < w; i++) grid[y, x + i] = true;
        }
        return string.Join('\n', Enumerable.Range(0, modules).Select(y => string.Concat(Enumerable.Range(0, modules).Select(x => grid[y, x] ? '#' : '.'))));
    }

    [GeneratedRegex(@"M(\d+) (\d+)h(\d+)v1h-\3z")]
    private static partial Regex SvgRuns();

    [GeneratedRegex("data-testid=\"campaign-(cmp_[a-z0-9]+)\"")]
    private static partial Regex CampaignSections();

    [GeneratedRegex("data-testid=\"link-([A-Z0-9]+)\"")]
    private static partial Regex LinkIds();
}

public sealed class LinksOnSqlite(SqliteFixture fixture) : LinksTests(fixture), IClassFixture<SqliteFixture>;

public sealed class LinksOnPostgres(PostgresFixture fixture) : LinksTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>What the redirect passes on from a link's own query, without a server.</summary>
public sealed class LinkUtmTests
{
    private static List<KeyValuePair<string, string>>? Utm(string query) =>
        Redirect.LinkUtm(new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)));

    [Fact]
    public void OnlyUtmParametersPassOnceEachAndReadable()
    {
        var utm = Utm("?utm_source=x&utm_source=y&utm_medium=ambassador&ref=EVIL&click_id=clk_1&utm_evil=1&utm_term=" + new string('a', 201));
        Assert.Equal([new("utm_source", "x"), new("utm_medium", "ambassador")], utm!);
        Assert.Null(Utm("?a=1&utm_source="));
        Assert.Null(Utm("?utm_source=%0Aline"));
    }

    [Theory]
    [InlineData("https://shop.example/p", "https://shop.example/p?utm_source=x&utm_medium=ambassador&ref=ABC&click_id=clk_x")]
    [InlineData("https://shop.example/p?utm_source=brand#f", "https://shop.example/p?utm_source=brand&utm_medium=ambassador&ref=ABC&click_id=clk_x#f")]
    [InlineData("https://shop.example/p?UTM_MEDIUM=email&utm_source=brand", "https://shop.example/p?UTM_MEDIUM=email&utm_source=brand&ref=ABC&click_id=clk_x")]
    public void TheDestinationsOwnUtmWinAndTheLinksFillInTheRest(string destination, string expected) =>
        Assert.Equal(expected, Redirect.WithTracking(destination, "ABC", "clk_x", [new("utm_source", "x"), new("utm_medium", "ambassador")]));
}
