using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ambassadors.Web.Feedback;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.Content;

/// <summary>Feedback (issue 14): members rate and comment in the portal; managers read averages and entries; the API's shape.</summary>
public abstract partial class FeedbackTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private async Task<(string Campaign, string Piece)> CampaignWithPieceAsync(string name = "Vogue Circle")
    {
        var campaign = (await App.Admin().CreateCampaignAsync(name: name))["id"].Str();
        var piece = (await (await App.Admin().PostJsonAsync($"/api/v1/campaigns/{campaign}/content",
            new { title = "Winter preview", embargoUntil = "2099-01-01T00:00:00Z" })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        return (campaign, piece);
    }

    private static Dictionary<string, string> Form(string? rating, string comment = "") =>
        rating is null ? new() { ["Comment"] = comment } : new() { ["Rating"] = rating, ["Comment"] = comment };

    [SkippableFact]
    public async Task AMemberRatesAPieceWithErrorsNextToTheFieldsThenEachFeedbackIsKeptNewestFirst()
    {
        var (campaign, piece) = await CampaignWithPieceAsync();
        var (member, memberId, _) = await PortalBrowser.SignedInAsync(App, campaign);
        var page = $"/portal/content/{piece}";
        var html = await member.GetPageAsync(page);
        Assert.Contains("<legend>Your rating</legend>", html);
        Assert.Contains("type=\"radio\" id=\"rating-5\" name=\"Rating\" value=\"5\"", html);
        Assert.Contains("<span class=\"visually-hidden\">4 stars: very good</span>", html);

        var noRating = await member.PostFormAsync(page, Form(null, "Love it"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noRating.StatusCode);
        var refused = await noRating.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-rating\">Choose from 1 to 5 stars.</div>", refused);
        Assert.Contains(">Love it</textarea>", refused); // kept as typed
        var tooLong = await member.PostFormAsync(page, Form("9", new string('a', 2001)));
        var both = await tooLong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("data-testid=\"error-rating\"", both);
        Assert.Contains("data-testid=\"error-comment\">A comment can be at most 2,000 characters, without control characters.</div>", both);
        await using (var db = App.Db()) Assert.False(await db.Feedback.AnyAsync(f => f.AmbassadorId == memberId));

        var given = await member.PostFormAsync(page, Form("4", "Great photos.\nMore please."));
        Assert.Equal(HttpStatusCode.Redirect, given.StatusCode);
        Assert.Equal($"/portal/content/{piece}#feedback", given.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync(page, Form("2", ""))).StatusCode);
        var after = await member.GetPageAsync(page);
        Assert.Contains("Thank you! Your feedback is saved.", after);
        var ratings = Ratings().Matches(after).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["2", "4"], ratings); // newest first
        Assert.Contains("<p class=\"comment\">Great photos.&#xA;More please.</p>", after);
        await using (var db = App.Db())
        {
            var stored = await db.Feedback.Where(f => f.AmbassadorId == memberId).OrderBy(f => f.CreatedAt).ToListAsync();
            Assert.Equal([(4, "Great photos.\nMore please.", (string?)piece), (2, (string?)null!, piece)],
                stored.Select(f => (f.Rating, f.Comment!, f.ContentId)));
        }

        // On the campaign itself.
        var campaignPage = $"/portal/campaigns/{campaign}/feedback";
        Assert.Contains("<h1>Feedback on Vogue Circle</h1>", await member.GetPageAsync(campaignPage));
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync(campaignPage, Form("5", "Well run"))).StatusCode);
        var mine = await member.GetPageAsync(campaignPage);
        Assert.Equal(["5"], Ratings().Matches(mine).Select(m => m.Groups[1].Value));
        using var dutch = new HttpRequestMessage(HttpMethod.Get, campaignPage);
        dutch.Headers.AcceptLanguage.ParseAdd("nl");
        var nl = await (await member.Client.SendAsync(dutch)).Content.ReadAsStringAsync();
        Assert.Contains("<h1>Feedback over Vogue Circle</h1>", nl);
        Assert.Contains("<legend>Jouw beoordeling</legend>", nl);
        Assert.Contains("5 van 5 sterren", nl);
    }

    [SkippableFact]
    public async Task NonMembersGet404ForThePiecesAndCampaignsFeedbackAndStoreNothing()
    {
        var (campaign, piece) = await CampaignWithPieceAsync();
        var (other, _) = await CampaignWithPieceAsync("Other");
        var (stranger, strangerId, _) = await PortalBrowser.SignedInAsync(App, other);
        await stranger.GetPageAsync($"/portal/content/{piece}", HttpStatusCode.NotFound);
        await stranger.GetPageAsync($"/portal/campaigns/{campaign}/feedback", HttpStatusCode.NotFound);
        await stranger.GetPageAsync("/portal/campaigns/cmp_00000000000000000000000000/feedback", HttpStatusCode.NotFound);
        // A post with a valid token from a page of theirs, aimed at someone else's campaign and piece.
        var token = StaffBrowser.TokenIn(await stranger.GetPageAsync($"/portal/campaigns/{other}/feedback"));
        foreach (var target in new[] { $"/portal/campaigns/{campaign}/feedback", $"/portal/content/{piece}" })
        {
            var post = await stranger.Client.PostAsync(target, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Rating"] = "1", ["Comment"] = "sneaky",
            }));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }
        // The service says the same to anyone who calls it.
        var service = App.Services.GetRequiredService<FeedbackService>();
        var result = await service.GiveAsync(strangerId, campaign, piece, 3, null, CancellationToken.None);
        Assert.Equal(Ambassadors.Data.FailureKind.NotFound, result.Failure!.Kind);
        await using var db = App.Db();
        Assert.False(await db.Feedback.AnyAsync(f => f.AmbassadorId == strangerId));
    }

    [SkippableFact]
    public async Task ManagersSeeTheAverageDistributionPerPieceAndEntriesNewestFirstAndTheApiSaysTheSame()
    {
        var (campaign, piece) = await CampaignWithPieceAsync();
        var (_, anna, _) = await PortalBrowser.SignedInAsync(App, campaign, "Anna de Vries");
        var (_, bram, _) = await PortalBrowser.SignedInAsync(App, campaign, "Bram Bakker");
        var service = App.Services.GetRequiredService<FeedbackService>();
        async Task<string> Give(string who, string? content, int rating, string? comment)
        {
            var result = await service.GiveAsync(who, campaign, content, rating, comment, CancellationToken.None);
            await Task.Delay(20); // distinct times
            return result.Value!.Id;
        }
        await Give(anna, piece, 5, "Stunning");
        await Give(bram, piece, 3, null);
        await Give(anna, null, 4, "Well organised");
        var newest = await Give(bram, null, 1, "Too few samples");
        var invalid = await service.GiveAsync(anna, campaign, null, 6, null, CancellationToken.None);
        Assert.Equal("rating", invalid.Failure!.FieldErrors.Keys.Single());

        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var html = await manager.GetPageAsync($"/manage/campaigns/{campaign}/feedback");
        Assert.Contains("<strong data-testid=\"average\">3.25 of 5</strong>", html);
        Assert.Contains("<strong data-testid=\"count\">4</strong>", html);
        Assert.Contains("data-testid=\"bar-5\" data-count=\"1\"", html);
        Assert.Contains("data-testid=\"bar-2\" data-count=\"0\"", html);
        Assert.Contains("aria-current=\"page\" data-testid=\"tab-feedback\"", html);
        Assert.Matches(new Regex($"data-testid=\"about-{piece}\">\\s*<td><a href=\"\\?about={piece}\">Winter preview</a></td>\\s*<td>4 of 5</td>\\s*<td>2</td>"), html);
        Assert.Matches(new Regex("data-testid=\"about-campaign\">\\s*<td>[^\\n]+</td>\\s*<td>2.5 of 5</td>"), html);
        var entries = EntryIds().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(4, entries.Count);
        Assert.Equal(newest, entries[0]);
        Assert.Contains($"<a href=\"/manage/ambassadors/{bram}\">Bram Bakker</a>", html);
        Assert.Contains($"<a href=\"/manage/content/{piece}\">Winter preview</a>", html);
        Assert.Contains("Too few samples", html);

        var filtered = await manager.GetPageAsync($"/manage/campaigns/{campaign}/feedback?about={piece}");
        Assert.Equal(2, EntryIds().Matches(filtered).Count);
        var campaignOnly = await manager.GetPageAsync($"/manage/campaigns/{campaign}/feedback?about=campaign");
        Assert.Equal(2, EntryIds().Matches(campaignOnly).Count);
        await manager.GetPageAsync($"/manage/campaigns/{campaign}/feedback?about=cnt_00000000000000000000000000", HttpStatusCode.NotFound);
        using (var dutch = new HttpRequestMessage(HttpMethod.Get, $"/manage/campaigns/{campaign}/feedback"))
        {
            dutch.Headers.AcceptLanguage.ParseAdd("nl");
            var nl = await (await manager.Client.SendAsync(dutch)).Content.ReadAsStringAsync();
            Assert.Contains("<strong data-testid=\"average\">3,25 van 5</strong>", nl);
            Assert.Contains("Gemiddelde beoordeling", nl);
        }
        // The library shows each piece's average.
        Assert.Contains("4 of 5", await manager.GetPageAsync($"/manage/campaigns/{campaign}/content"));

        var api = await (await App.Admin().GetAsync($"/api/v1/campaigns/{campaign}/feedback")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3.25, api["average"]!.GetValue<double>());
        Assert.Equal(4, api["count"]!.GetValue<int>());
        var list = api["entries"]!.AsArray();
        Assert.Equal(newest, list[0]!["id"].Str());
        Assert.Equal(["id", "ambassadorId", "contentId", "rating", "comment", "createdAt"], list[0]!.AsObject().Select(p => p.Key));
        Assert.Equal(bram, list[0]!["ambassadorId"].Str());
        Assert.Null(list[0]!["contentId"]);
        Assert.Equal(1, list[0]!["rating"]!.GetValue<int>());
        Assert.Equal(piece, list[3]!["contentId"].Str());
        Assert.Equal("Stunning", list[3]!["comment"].Str());
        var paged = await (await App.Admin().GetAsync($"/api/v1/campaigns/{campaign}/feedback?limit=1&offset=1")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, paged["count"]!.GetValue<int>());
        Assert.Single(paged["entries"]!.AsArray());
        await (await App.Admin().GetAsync("/api/v1/campaigns/cmp_00000000000000000000000000/feedback")).AssertProblemAsync(HttpStatusCode.NotFound);

        var (_, empty) = await CampaignWithPieceAsync("Quiet");
        var none = await (await App.Admin().GetAsync($"/api/v1/campaigns/{(await App.Admin().CreateCampaignAsync(name: "Silent"))["id"].Str()}/feedback"))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(none["average"]);
        Assert.Equal(0, none["count"]!.GetValue<int>());
        Assert.NotNull(empty);
    }

    [GeneratedRegex("aria-label=\"(\\d) of 5 stars\"")]
    private static partial Regex Ratings();

    [GeneratedRegex("<tr data-testid=\"entry-(fbk_[^\"]+)\"")]
    private static partial Regex EntryIds();
}

public sealed class FeedbackOnSqlite(SqliteFixture fixture) : FeedbackTests(fixture), IClassFixture<SqliteFixture>;

public sealed class FeedbackOnPostgres(PostgresFixture fixture) : FeedbackTests(fixture), IClassFixture<PostgresFixture>;
