using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ambassadors.Tests.Portal;

/// <summary>Another member of Anna's campaign: what must never appear on Anna's pages.</summary>
public sealed record OtherMember(string Id, string Email, string Code, string Name);

/// <summary>
/// Anna (signed in to the portal) in two campaigns, with a content piece in the first, real clicks through her links and
/// others', and conversions from a merchant's key:
/// <list type="bullet">
/// <item>Fiesta Movement (EUR, 10 % second-degree): Anna's campaign link 1 click (visitor 1, new), her piece link 3 clicks
/// (visitor 1 again, visitor 3 twice): 4 clicks, 2 unique visitors; a lead on the campaign link, a 100 EUR sale through
/// visitor 3's click on the piece. Bram Jansen joined through Anna's link: 3 clicks, 2 sales of 100 EUR and a lead
/// (overrides 1.50 + 1.50 + 0.20 EUR). Carla Smit: 10 clicks, one 20 EUR sale. Dirk de Boer: nothing. A link preview of
/// Anna's link counts as nothing.</item>
/// <item>Vogue Circle (USD): Anna 1 click (visitor 2), one 50 USD sale.</item>
/// </list>
/// Anna: 5 clicks, 3 unique visitors, 1 lead, 2 sales. Fiesta's leaderboard: Bram, Anna, Carla, Dirk.
/// </summary>
public sealed record PortalStatsWorld(
    StaffBrowser Anna, string AnnaId, string AnnaEmail, string Fiesta, string Vogue, string PieceId,
    string FiestaCode, string PieceCode, string VogueCode, IReadOnlyList<OtherMember> Others)
{
    /// <summary>
    /// <paramref name="kestrel"/>: the app's real address when it listens on a port (the factory's own clients with options
    /// do not reach it there), for the browser tests.
    /// </summary>
    public static async Task<PortalStatsWorld> CreateAsync(AmbassadorsApp app, Uri? kestrel = null)
    {
        HttpClient Direct(bool cookies) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies }) { BaseAddress = kestrel };

        var admin = app.Admin();
        var merchant = app.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var fiesta = (await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Fiesta Movement", objective = "sales", destinationUrl = "https://shop.example/fiesta", currency = "EUR",
            rewards = new { perLead = 2, perSale = 10, salePercent = 5, secondDegreePercent = 10 },
        })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var vogue = (await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Vogue Circle", objective = "brand", destinationUrl = "https://shop.example/vogue", currency = "USD", rewards = new { perSale = 5 },
        })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var piece = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{fiesta}/content", new { title = "Autumn lookbook" }))
            .AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

        var annaEmail = $"anna.{Guid.NewGuid():N}@example.com";
        var annaId = (await (await admin.PostJsonAsync("/api/v1/ambassadors", new
        {
            name = "Anna de Vries", email = annaEmail, socialProfiles = new[] { new { network = "instagram", handle = "@anna", followers = 5000 } },
        })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        await PortalBrowser.EnrolAsync(app, fiesta, annaId);
        await PortalBrowser.EnrolAsync(app, vogue, annaId);
        var anna = kestrel is null ? StaffBrowser.Open(app) : new StaffBrowser(Direct(cookies: true));
        Assert.Equal(HttpStatusCode.Redirect, (await PortalBrowser.AcceptInvitationAsync(anna, await PortalBrowser.InvitationPathAsync(app, annaId))).StatusCode);
        var links = await (await admin.GetAsync($"/api/v1/ambassadors/{annaId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        string CodeOf(string campaign, string? content) => links
            .Single(l => l!["campaignId"].Str() == campaign && l["contentId"]?.GetValue<string>() == content)!["code"].Str();
        var (fiestaCode, pieceCode, vogueCode) = (CodeOf(fiesta, null), CodeOf(fiesta, piece), CodeOf(vogue, null));

        async Task<OtherMember> MemberAsync(string name, string? referredBy = null)
        {
            var email = $"{name.Split(' ')[0].ToLowerInvariant()}.{Guid.NewGuid():N}@example.com";
            var id = (await (await admin.PostJsonAsync("/api/v1/ambassadors", new { name, email })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
            var code = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{fiesta}/ambassadors", new { ambassadorId = id, referredBy }))
                .AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
            return new OtherMember(id, email, code, name);
        }
        var bram = await MemberAsync("Bram Jansen", referredBy: fiestaCode);
        var carla = await MemberAsync("Carla Smit");
        var dirk = await MemberAsync("Dirk de Boer");

        var visitor = kestrel is null ? app.Visitor() : Direct(cookies: false);
        var first = await visitor.ClickAsync(fiestaCode);
        await visitor.ClickAsync(pieceCode, visitorCookie: Clicks.CookiesOf(first));
        await visitor.ClickAsync(vogueCode);
        var third = await visitor.ClickAsync(pieceCode);
        var thirdAgain = await visitor.ClickAsync(pieceCode, visitorCookie: Clicks.CookiesOf(third));
        await visitor.ClickAsync(fiestaCode, Clicks.Slackbot);
        for (var i = 0; i < 3; i++) await visitor.ClickAsync(bram.Code);
        for (var i = 0; i < 10; i++) await visitor.ClickAsync(carla.Code);
        await admin.StatsWhenAsync($"/api/v1/ambassadors/{annaId}/stats", s => s["clicks"].Long() == 5);
        await admin.StatsWhenAsync($"/api/v1/campaigns/{fiesta}/stats", s => s["clicks"].Long() == 17);

        async Task ConvertAsync(object body) => await (await merchant.ConvertAsync(body)).AssertJsonAsync(HttpStatusCode.Created);
        string Id() => $"order-{Guid.NewGuid():N}";
        await ConvertAsync(new { externalId = Id(), kind = "sale", amount = "100.00", currency = "EUR", clickId = Clicks.ClickIdOf(thirdAgain) });
        await ConvertAsync(new { externalId = Id(), kind = "lead", referralCode = fiestaCode });
        await ConvertAsync(new { externalId = Id(), kind = "sale", amount = "50.00", currency = "USD", referralCode = vogueCode });
        await ConvertAsync(new { externalId = Id(), kind = "sale", amount = "100.00", currency = "EUR", referralCode = bram.Code });
        await ConvertAsync(new { externalId = Id(), kind = "sale", amount = "100.00", currency = "EUR", referralCode = bram.Code });
        await ConvertAsync(new { externalId = Id(), kind = "lead", referralCode = bram.Code });
        await ConvertAsync(new { externalId = Id(), kind = "sale", amount = "20.00", currency = "EUR", referralCode = carla.Code });
        return new PortalStatsWorld(anna, annaId, annaEmail, fiesta, vogue, piece, fiestaCode, pieceCode, vogueCode, [bram, carla, dirk]);
    }
}

/// <summary>Reading the stats pages as a person would: the figures' texts, a card's words.</summary>
public static partial class StatsHtml
{
    /// <summary>The markup from an element marked data-testid="<paramref name="testId"/>" to the end of that element's kind of block.</summary>
    public static string Part(string html, string testId, string end = "</li>")
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No {testId} on the page.");
        var stop = html.IndexOf(end, start, StringComparison.Ordinal);
        return html[start..(stop < 0 ? html.Length : stop)];
    }

    /// <summary>Every block marked data-testid="<paramref name="testId"/>", in order.</summary>
    public static IReadOnlyList<string> Parts(string html, string testId, string end = "</li>") =>
        html.Split($"data-testid=\"{testId}\"").Skip(1).Select(p => p[..p.IndexOf(end, StringComparison.Ordinal)]).ToList();

    /// <summary>The six figures (clicks, unique visitors, leads, sales, conversion rate, revenue) as the block shows them.</summary>
    public static string Figures(string block) => string.Join(" | ", new[] { "clicks", "uniqueVisitors", "leads", "sales", "conversionRate", "revenue" }
        .Select(f => Regex.Match(block, $"data-testid=\"{f}\">([^<]*)<") is { Success: true } m ? m.Groups[1].Value : "?"));

    /// <summary>The words a block shows, tags left out and spaces collapsed.</summary>
    public static string Text(string block) => Spaces().Replace(Tags().Replace(block, " "), " ").Trim();

    [GeneratedRegex("<[^>]*>|^[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
