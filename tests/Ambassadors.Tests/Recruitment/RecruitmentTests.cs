using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using static Ambassadors.Tests.Recruitment.RecruitmentSteps;

namespace Ambassadors.Tests.Recruitment;

/// <summary>Recruitment through HTTP on a real database: the public form, the score, the decisions and their rules, the outbox.</summary>
public abstract class RecruitmentTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static string NewEmail(string who = "anna") => $"{who}.{Guid.NewGuid():N}@example.com";

    [SkippableFact]
    public async Task TheFormShowsTheCampaignAndItsTermsAndStoresAnApplicationWithTheConsentedText()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var page = await StaffBrowser.Open(App).GetPageAsync($"/apply/{campaign}");
        Assert.Contains("Drive the new Fiesta", TestId(page, "description"));
        Assert.Equal(Terms, TestId(page, "terms"));
        Assert.Contains("name=\"__RequestVerificationToken\"", page);
        Assert.Contains("<option value=\"NL\">Netherlands</option>", page);

        var email = NewEmail();
        var response = await ApplyAsync(App, campaign, Form(email.ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var thanks = await StaffBrowser.Open(App).GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Thank you for applying", thanks);

        await using var db = App.Db();
        var stored = await db.Applications.SingleAsync(a => a.CampaignId == campaign && a.NormalizedEmail == email);
        Assert.Equal(ApplicationStatus.New, stored.Status);
        Assert.Equal("NL", stored.Country);
        Assert.Equal(Terms, stored.ConsentedTerms);
        Assert.Equal(12_500, stored.SocialProfiles.Single().Followers);
        Assert.Equal(3.5m, stored.SocialProfiles.Single().EngagementRate);
        Assert.Equal(["https://instagram.com/p/abc", "https://blog.example/fiesta"], stored.SampleLinks);
        Assert.True(stored.ConsentedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [SkippableFact]
    public async Task TheFormIsAnsweredInDutchForADutchBrowser()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var browser = StaffBrowser.Open(App);
        browser.Client.DefaultRequestHeaders.Add("Accept-Language", "nl-NL,nl;q=0.9");
        var page = await browser.GetPageAsync($"/apply/{campaign}");
        Assert.Contains("Meld je aan voor Fiesta Movement", page);
        Assert.Contains("<option value=\"NL\">Nederland</option>", page);
        var refused = await browser.PostFormAsync($"/apply/{campaign}", Form("not-an-email"));
        Assert.Contains("Dit is geen e-mailadres", await refused.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task ASecondApplicationWithTheSameEmailInAnyCaseIsThankedAlikeAndStoresNothing()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var email = NewEmail();
        var first = await ApplyAsync(App, campaign, Form(email, name: "Anna"));
        var second = await ApplyAsync(App, campaign, Form(email.ToUpperInvariant(), name: "Someone Else", country: "BE"));

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        await using var db = App.Db();
        var stored = await db.Applications.Where(a => a.CampaignId == campaign).ToListAsync();
        Assert.Equal("Anna", Assert.Single(stored).Name);
    }

    [SkippableFact]
    public async Task AFilledHoneypotIsThankedAlikeAndStoresNothing()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var form = Form(NewEmail());
        form["Website"] = "http://spam.example";
        var response = await ApplyAsync(App, campaign, form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith($"/apply/{campaign}?sent=True", response.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        await using var db = App.Db();
        Assert.False(await db.Applications.AnyAsync(a => a.CampaignId == campaign));
        // Hidden by the stylesheet, not by an inline style.
        var page = await StaffBrowser.Open(App).GetPageAsync($"/apply/{campaign}");
        Assert.Contains("class=\"field hp\" aria-hidden=\"true\"", page);
    }

    [SkippableFact]
    public async Task EveryFieldIsCheckedWithAMessageNextToItAndNothingIsStored()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var form = Form("anna@@example", country: "XX", consent: false);
        form["Name"] = "Anna\u0007";
        form["Profiles[0].Followers"] = "12.5";
        form["Profiles[0].EngagementRate"] = "abc";
        form["Profiles[1].Network"] = "tiktok";
        form["Profiles[1].Handle"] = "@anna";
        form["Profiles[1].Followers"] = "-3";
        form["Samples"] = "ftp://files.example/video";
        form["Motivation"] = new string('m', 4001);
        var response = await ApplyAsync(App, campaign, form);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("control characters", TestId(html, "error-Name"));
        Assert.Contains("not an email address", TestId(html, "error-Email"));
        Assert.Contains("Choose a country from the list", TestId(html, "error-Country"));
        Assert.Contains("whole number", TestId(html, "error-Profiles[0].Followers"));
        Assert.Contains("whole number", TestId(html, "error-Profiles[1].Followers"));
        Assert.Contains("percentage", TestId(html, "error-Profiles[0].EngagementRate"));
        Assert.Contains("At most 4000 characters; this has 4001", TestId(html, "error-Motivation"));
        Assert.Contains("http:// or https://", TestId(html, "error-Samples"));
        Assert.Contains("Agree to the terms", TestId(html, "error-Consent"));
        // What was typed stays in the form.
        Assert.Contains("value=\"anna@@example\"", html);
        await using var db = App.Db();
        Assert.False(await db.Applications.AnyAsync(a => a.CampaignId == campaign));
    }

    [SkippableFact]
    public async Task AnUnknownCampaignIsA404PageAndACampaignNotRecruitingSaysSo()
    {
        var unknown = await StaffBrowser.Open(App).GetAsync("/apply/cmp_unknown0000000000");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("text/html", unknown.Content.Headers.ContentType!.ToString());

        var paused = await RecruitingCampaignAsync(App, status: CampaignStatus.Paused);
        var page = await StaffBrowser.Open(App).GetPageAsync($"/apply/{paused}");
        Assert.Contains("is not taking applications", TestId(page, "closed"));
        Assert.DoesNotContain("Send my application", page);

        var active = await RecruitingCampaignAsync(App, status: CampaignStatus.Active);
        Assert.Contains("Send my application", await StaffBrowser.Open(App).GetPageAsync($"/apply/{active}"));
    }

    [SkippableFact]
    public async Task TheFormRefusesAPostWithoutItsAntiforgeryToken()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var response = await App.CreateClient().PostAsync($"/apply/{campaign}", new FormUrlEncodedContent(Form(NewEmail())));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = App.Db();
        Assert.False(await db.Applications.AnyAsync(a => a.CampaignId == campaign));
    }

    [SkippableFact]
    public async Task TheScoreIsTheWeightedSumOfTheDocumentedParts()
    {
        var weights = new ScoringWeights { Reach = 2, Engagement = 1, Motivation = 3, CountryFit = 0.5m, PastResults = 1 };
        var campaign = await RecruitingCampaignAsync(App, targetCountries: ["NL"], weights: weights);
        // An ambassador with 9 leads and sales in another campaign applies again.
        var veteranEmail = NewEmail("veteran");
        var veteran = (await App.Admin().CreateAmbassadorAsync(veteranEmail))["id"].Str();
        var earlier = (await App.Admin().CreateCampaignAsync(name: "Earlier"))["id"].Str();
        var code = (await (await App.Admin().EnrolAsync(earlier, veteran)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        var merchant = App.ClientWithKey(await App.Admin().NewKeyAsync("merchant"));
        for (var i = 0; i < 9; i++)
        {
            await (await merchant.PostJsonAsync("/api/v1/conversions", new { externalId = $"lead-{Guid.NewGuid():N}", kind = "lead", referralCode = code }))
                .AssertJsonAsync(HttpStatusCode.Created);
        }

        var first = await AppliedAsync(App, campaign, Form(NewEmail(), followers: 999, engagement: "4"));
        var form = Form(veteranEmail, country: "BE", followers: 9_999_999, engagement: null);
        form["Profiles[1].Network"] = "youtube";
        form["Profiles[1].Handle"] = "vet";
        form["Profiles[1].Followers"] = "1";
        var second = await AppliedAsync(App, campaign, form);
        await using (var db = App.Db())
        {
            await db.Applications.Where(a => a.Id == first).ExecuteUpdateAsync(s => s.SetProperty(a => a.MotivationRating, 4));
        }

        var list = await (await App.Admin().GetAsync($"/api/v1/campaigns/{campaign}/applications")).AssertJsonArrayAsync(HttpStatusCode.OK);
        // Hand-computed: reach log10(1000)/log10(10000001) = 0.428571; engagement 4/10 = 0.4; motivation 4/5; country fit 1; no past results.
        var a = list.Single(x => x!["id"].Str() == first)!;
        AssertPart(a, "reach", 3 / Math.Log10(10_000_001));
        AssertPart(a, "engagement", 0.4);
        AssertPart(a, "motivation", 0.8);
        AssertPart(a, "countryFit", 1);
        AssertPart(a, "pastResults", 0);
        Assert.Equal(Math.Round(2 * 3 / Math.Log10(10_000_001) + 0.4 + 3 * 0.8 + 0.5, 4), a["score"]!.GetValue<double>(), 4);
        // 10,000,000 followers: full reach; no rate given: 0; not rated: 0; BE is not a target: 0; 9 results: log10(10)/log10(1001).
        var b = list.Single(x => x!["id"].Str() == second)!;
        AssertPart(b, "reach", 1);
        AssertPart(b, "engagement", 0);
        AssertPart(b, "motivation", 0);
        AssertPart(b, "countryFit", 0);
        AssertPart(b, "pastResults", 1 / Math.Log10(1001));
        Assert.Equal(Math.Round(2 + 1 / Math.Log10(1001), 4), b["score"]!.GetValue<double>(), 4);
        // Highest first, with the weights alongside.
        Assert.Equal(first, list[0]!["id"].Str());
        Assert.Equal(3m, a["weights"]!["motivation"]!.GetValue<decimal>());
        Assert.Equal("new", a["status"].Str());
    }

    private static void AssertPart(JsonNode application, string part, double expected) =>
        Assert.Equal(expected, application["scoreParts"]![part]!.GetValue<double>(), 4);

    [SkippableFact]
    public async Task TenSimultaneousAcceptsForSixPlacesAcceptExactlySix()
    {
        var campaign = await RecruitingCampaignAsync(App, capacity: 6);
        var ids = await SeedAsync(App, campaign, 10);
        var admin = App.Admin();

        var responses = await Task.WhenAll(ids.Select(id => admin.PostAsync($"/api/v1/applications/{id}/accept", null)));

        Assert.Equal(6, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("0 places left", (await refused.AssertProblemAsync(HttpStatusCode.Conflict))["detail"].Str());
        }
        await using var db = App.Db();
        var statuses = await db.Applications.Where(a => a.CampaignId == campaign).Select(a => a.Status).ToListAsync();
        Assert.Equal(6, statuses.Count(s => s == ApplicationStatus.Accepted));
        Assert.Equal(4, statuses.Count(s => s == ApplicationStatus.New));
        Assert.Equal(6, await db.Memberships.CountAsync(m => m.CampaignId == campaign));
        Assert.Equal(6, (await db.Campaigns.SingleAsync(c => c.Id == campaign)).MemberCount);
        var emails = await db.Applications.Where(a => a.CampaignId == campaign).Select(a => a.NormalizedEmail).ToListAsync();
        Assert.Equal(6, await db.Ambassadors.CountAsync(a => emails.Contains(a.NormalizedEmail)));
        Assert.Equal(6, await db.Outbox.CountAsync(m => emails.Contains(m.To.ToLower())));
        // The campaign's own view counts the new members.
        Assert.Equal(6, (await (await admin.GetAsync($"/api/v1/campaigns/{campaign}")).AssertJsonAsync(HttpStatusCode.OK))["members"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task BulkAcceptPastCapacityIsRefusedWithTheNumbersAndChangesNothing()
    {
        var campaign = await RecruitingCampaignAsync(App, capacity: 6);
        var ids = await SeedAsync(App, campaign, 10);
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/campaigns/{campaign}/applications";
        var form = new List<KeyValuePair<string, string>> { new("decision", "accept") };
        form.AddRange(ids.Select(id => new KeyValuePair<string, string>("ids", id)));

        // First the confirmation, with how many and the places left.
        var token = StaffBrowser.TokenIn(await manager.GetPageAsync(url));
        var ask = await manager.Client.PostAsync($"{url}?handler=Decide", new FormUrlEncodedContent(form.Append(new("__RequestVerificationToken", token))));
        var askHtml = await ask.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Equal("Places left: 6. Places these need: 10.", TestId(askHtml, "confirm-places"));

        var confirmed = form.Append(new("confirmed", "true")).Append(new("__RequestVerificationToken", StaffBrowser.TokenIn(askHtml)));
        var refused = await manager.Client.PostAsync($"{url}?handler=Decide", new FormUrlEncodedContent(confirmed));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("6 places left, 10 selected. Nothing was accepted", TestId(await refused.Content.ReadAsStringAsync(), "problem"));

        await using var db = App.Db();
        Assert.All(await db.Applications.Where(a => a.CampaignId == campaign).ToListAsync(), a => Assert.Equal(ApplicationStatus.New, a.Status));
        Assert.Equal(0, await db.Memberships.CountAsync(m => m.CampaignId == campaign));
        Assert.Equal(0, (await db.Campaigns.SingleAsync(c => c.Id == campaign)).MemberCount);
        var emails = await db.Applications.Where(a => a.CampaignId == campaign).Select(a => a.NormalizedEmail).ToListAsync();
        Assert.False(await db.Ambassadors.AnyAsync(a => emails.Contains(a.NormalizedEmail)));
        Assert.False(await db.Outbox.AnyAsync(m => emails.Contains(m.To.ToLower())));
    }

    [SkippableFact]
    public async Task BulkAcceptWithinCapacityEnrolsEveryoneWithCodesAndInvitations()
    {
        var campaign = await RecruitingCampaignAsync(App, capacity: 6);
        var content = await App.Admin().PostJsonAsync($"/api/v1/campaigns/{campaign}/content", new { title = "Launch video" });
        await content.AssertJsonAsync(HttpStatusCode.Created);
        var ids = await SeedAsync(App, campaign, 5);
        var (manager, email) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/campaigns/{campaign}/applications";
        var token = StaffBrowser.TokenIn(await manager.GetPageAsync(url));
        var form = ids.Take(4).Select(id => new KeyValuePair<string, string>("ids", id))
            .Append(new("decision", "accept")).Append(new("confirmed", "true")).Append(new("__RequestVerificationToken", token));

        var done = await manager.Client.PostAsync($"{url}?handler=Decide", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var page = await manager.GetPageAsync(done.Headers.Location!.OriginalString);
        Assert.Contains("Accepted: 4", TestId(page, "flash"));
        Assert.Contains("6: 4 members, 2 places left", TestId(page, "capacity"));

        await using var db = App.Db();
        var accepted = await db.Applications.Where(a => a.CampaignId == campaign && a.Status == ApplicationStatus.Accepted).ToListAsync();
        Assert.Equal(4, accepted.Count);
        Assert.All(accepted, a => Assert.Equal(email, a.DecidedBy));
        var ambassadorIds = accepted.Select(a => a.AmbassadorId!).ToList();
        // A campaign code and a code for the content piece each.
        Assert.Equal(8, await db.ReferralCodes.CountAsync(c => c.CampaignId == campaign && ambassadorIds.Contains(c.AmbassadorId)));
        var ambassador = await db.Ambassadors.SingleAsync(a => a.Id == ambassadorIds[0]);
        Assert.Equal(accepted[0].Country, ambassador.Country);
        Assert.Equal(accepted[0].SocialProfiles.Single().Followers, ambassador.SocialProfiles.Single().Followers);
    }

    [SkippableFact]
    public async Task AcceptingTheEmailOfAnExistingAmbassadorReusesThem()
    {
        var email = NewEmail("known");
        var existing = (await App.Admin().CreateAmbassadorAsync(email))["id"].Str();
        var campaign = await RecruitingCampaignAsync(App);
        var application = await AppliedAsync(App, campaign, Form(email.ToUpperInvariant()));

        var accepted = await (await App.Admin().PostAsync($"/api/v1/applications/{application}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(existing, accepted["ambassadorId"].Str());
        Assert.Equal("accepted", accepted["status"].Str());
        await using var db = App.Db();
        Assert.Equal(1, await db.Ambassadors.CountAsync(a => a.NormalizedEmail == email));
        Assert.True(await db.Memberships.AnyAsync(m => m.CampaignId == campaign && m.AmbassadorId == existing));
        var links = await (await App.Admin().GetAsync($"/api/v1/ambassadors/{existing}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Contains(links, l => l!["campaignId"].Str() == campaign);
    }

    [SkippableFact]
    public async Task TheInvitationTokenIsStoredOnlyAsItsHashAndExpiresAfterSevenDays()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var email = NewEmail();
        var application = await AppliedAsync(App, campaign, Form(email));
        var accepted = await (await App.Admin().PostAsync($"/api/v1/applications/{application}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        var ambassadorId = accepted["ambassadorId"].Str();

        var outbox = await (await App.Admin().GetAsync("/api/v1/outbox?limit=200")).AssertJsonAsync(HttpStatusCode.OK);
        var message = outbox["items"]!.AsArray().Single(m => m!["to"].Str() == email)!;
        Assert.Equal("invitation", message["kind"].Str());
        var link = message["link"].Str();
        Assert.Matches("^http://localhost/portal/onboarding/[A-Za-z0-9_-]{43}$", link);
        Assert.Contains(link, message["body"].Str());
        var token = link.Split('/').Last();

        await using var db = App.Db();
        var stored = await db.AccessTokens.SingleAsync(t => t.AmbassadorId == ambassadorId);
        Assert.Equal(AccessTokens.Hash(token), stored.TokenHash);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        Assert.DoesNotContain(token, stored.TokenHash);
        Assert.Equal(AccessTokenPurpose.Invitation, stored.Purpose);
        Assert.Equal(TimeSpan.FromDays(7), stored.ExpiresAt - stored.CreatedAt);
        Assert.Null(stored.UsedAt);
        Assert.True(AccessTokens.IsUsable(stored, stored.CreatedAt.AddDays(6)));
        Assert.False(AccessTokens.IsUsable(stored, stored.ExpiresAt));
    }

    [SkippableFact]
    public async Task TheSameDecisionAgainChangesNothingAndAnotherAfterAcceptIsAConflict()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var ids = await SeedAsync(App, campaign, 2);
        var admin = App.Admin();

        var waitlisted = await (await admin.PostAsync($"/api/v1/applications/{ids[0]}/waitlist", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("waitlisted", waitlisted["status"].Str());
        var again = await (await admin.PostAsync($"/api/v1/applications/{ids[0]}/waitlist", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(DateTimeOffset.Parse(waitlisted["decidedAt"].Str()), DateTimeOffset.Parse(again["decidedAt"].Str()), TimeSpan.FromMilliseconds(1));
        // A waitlisted applicant can still be accepted; after that, neither decline nor waitlist.
        await (await admin.PostAsync($"/api/v1/applications/{ids[0]}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/api/v1/applications/{ids[0]}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/api/v1/applications/{ids[0]}/decline", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsync($"/api/v1/applications/{ids[0]}/waitlist", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await using (var db = App.Db())
        {
            Assert.Equal(1, await db.Outbox.CountAsync(m => m.To == db.Applications.Single(a => a.Id == ids[0]).Email));
        }

        // Declining sends nothing unless asked to; with notify=true a kind message.
        await (await admin.PostAsync($"/api/v1/applications/{ids[1]}/decline?notify=true", null)).AssertJsonAsync(HttpStatusCode.OK);
        await using var check = App.Db();
        var declined = await check.Applications.SingleAsync(a => a.Id == ids[1]);
        var message = await check.Outbox.SingleAsync(m => m.To == declined.Email);
        Assert.Equal(OutboxKind.Declined, message.Kind);
        Assert.Null(message.Link);
        Assert.Contains("Thank you for applying", message.Body);

        await (await admin.PostAsync("/api/v1/applications/app_unknown0000000000/accept", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/campaigns/cmp_unknown0000000000/applications")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/v1/campaigns/{campaign}/applications?status=maybe")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var onlyAccepted = await (await admin.GetAsync($"/api/v1/campaigns/{campaign}/applications?status=accepted")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(ids[0], Assert.Single(onlyAccepted)!["id"].Str());
    }

    [SkippableFact]
    public async Task AnInvitationThroughTheApiIsALinkThatExpiresAndAMessageInTheOutbox()
    {
        var ambassador = (await App.Admin().CreateAmbassadorAsync())["id"].Str();
        var manager = App.ClientWithKey(await App.Admin().NewKeyAsync("manager"));
        var invitation = await (await manager.PostAsync($"/api/v1/ambassadors/{ambassador}/invitation", null)).AssertJsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("http://localhost/portal/onboarding/", invitation["url"].Str());
        var expires = DateTimeOffset.Parse(invitation["expiresAt"].Str());
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(5));
        var outbox = await (await manager.GetAsync("/api/v1/outbox?limit=200")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Contains(outbox["items"]!.AsArray(), m => m!["link"]?.GetValue<string>() == invitation["url"].Str());

        await (await manager.PostAsync("/api/v1/ambassadors/amb_unknown0000000000/invitation", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        var finance = App.ClientWithKey(await App.Admin().NewKeyAsync("finance"));
        await (await finance.PostAsync($"/api/v1/ambassadors/{ambassador}/invitation", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await finance.GetAsync("/api/v1/outbox")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await finance.GetAsync("/api/v1/campaigns/cmp_unknown0000000000/applications")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await App.CreateClient().GetAsync("/api/v1/outbox")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task TheReviewPageListsScoresFiltersSortsAndPages()
    {
        var campaign = await RecruitingCampaignAsync(App, capacity: 100);
        await SeedAsync(App, campaign, 60);
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/campaigns/{campaign}/applications";

        var page = await manager.GetPageAsync(url);
        Assert.Contains("name=\"__RequestVerificationToken\"", page);
        Assert.Equal(50, CountOf(page, "data-testid=\"application\""));
        Assert.Contains("Page 1 of 2 (60 in all)", TestId(page, "paging"));
        // Highest score first.
        var scores = System.Text.RegularExpressions.Regex.Matches(page, "data-testid=\"score\">([^<]+)<").Select(m => double.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        // Applicant 58: the most followers among those who gave an engagement rate (the even ones).
        Assert.Contains("Applicant 58<", page.Substring(page.IndexOf("data-testid=\"application\"", StringComparison.Ordinal), 400));
        Assert.DoesNotContain("Applicant 1<", page);
        Assert.Contains("svg class=\"stack\"", page);
        Assert.Contains("log10(1 + followers)", WebUtility.HtmlDecode(page));

        var second = await manager.GetPageAsync($"{url}?p=2");
        Assert.Equal(10, CountOf(second, "data-testid=\"application\""));
        var belgium = await manager.GetPageAsync($"{url}?country=BE");
        Assert.Equal(20, CountOf(belgium, "data-testid=\"application\""));
        var byDate = await manager.GetPageAsync($"{url}?sort=date");
        Assert.InRange(byDate.IndexOf("Applicant 0<", StringComparison.Ordinal), 0, byDate.IndexOf("Applicant 1<", StringComparison.Ordinal));
        var high = await manager.GetPageAsync($"{url}?minScore=3");
        Assert.Contains("No applications match", TestId(high, "empty"));
        var none = await manager.GetPageAsync($"{url}?status=accepted");
        Assert.Contains("No applications match", none);
        await manager.GetPageAsync("/manage/campaigns/cmp_unknown0000000000/applications", HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task TheManagerRatesMotivationAndSetsWeightsAndTheScoresFollow()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var application = await AppliedAsync(App, campaign, Form(NewEmail(), followers: 0, engagement: null));
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var url = $"/manage/campaigns/{campaign}/applications";
        Assert.Contains("not rated", await manager.GetPageAsync(url));

        var rated = await manager.PostFormAsync(url, new Dictionary<string, string> { ["rating"] = "5" }, $"{url}?handler=Rate&application={application}");
        Assert.Equal(HttpStatusCode.Redirect, rated.StatusCode);
        // Reach 0, engagement 0, motivation 1, country fit 1 (no targets), past results 0: 2 with every weight 1.
        Assert.Equal("2", TestId(await manager.GetPageAsync(url), "score"));

        var bad = await manager.PostFormAsync(url, Weights("3", "1", "x", "1", "1"), $"{url}?handler=Weights");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("number from 0 to 100", TestId(await bad.Content.ReadAsStringAsync(), "error-Weight.motivation"));

        var saved = await manager.PostFormAsync(url, Weights("1", "1", "2.5", "0", "1"), $"{url}?handler=Weights");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("2.5", TestId(await manager.GetPageAsync(url), "score"));
        var list = await (await App.Admin().GetAsync($"/api/v1/campaigns/{campaign}/applications")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(2.5, list.Single()!["score"]!.GetValue<double>());
        Assert.Equal(2.5m, list.Single()!["weights"]!["motivation"]!.GetValue<decimal>());
    }

    private static Dictionary<string, string> Weights(string reach, string engagement, string motivation, string countryFit, string pastResults) => new()
    {
        ["Weight.reach"] = reach, ["Weight.engagement"] = engagement, ["Weight.motivation"] = motivation,
        ["Weight.countryFit"] = countryFit, ["Weight.pastResults"] = pastResults,
    };

    [SkippableFact]
    public async Task TheOutboxPageShowsMessagesNewestFirstWithTheirLinks()
    {
        var campaign = await RecruitingCampaignAsync(App);
        var email = NewEmail("outbox");
        var application = await AppliedAsync(App, campaign, Form(email));
        await (await App.Admin().PostAsync($"/api/v1/applications/{application}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var page = await manager.GetPageAsync("/manage/outbox");
        var first = page.IndexOf("data-testid=\"message\"", StringComparison.Ordinal);
        Assert.Contains(email, page.Substring(first, 400));
        Assert.Contains("data-copy=\"http://localhost/portal/onboarding/", page);
        Assert.Contains("No mail server is configured", page);
        Assert.Contains("/assets/recruitment.js", page);
    }

    [SkippableFact]
    public async Task OnlyManagersAndAdminsOpenTheRecruitmentPages()
    {
        var campaign = await RecruitingCampaignAsync(App);
        foreach (var url in new[] { $"/manage/campaigns/{campaign}/applications", "/manage/outbox" })
        {
            var stranger = await StaffBrowser.Open(App).GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
            Assert.Contains("/login?ReturnUrl=", stranger.Headers.Location!.OriginalString);
            var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
            await finance.GetPageAsync(url, HttpStatusCode.Forbidden);
            var ambassador = await SignedInAmbassadorAsync(App);
            await ambassador.GetPageAsync(url, HttpStatusCode.Forbidden);
            var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");
            await admin.GetPageAsync(url);
        }
        // A finance user cannot post a decision either.
        var ids = await SeedAsync(App, campaign, 1);
        var (financeUser, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var token = StaffBrowser.TokenIn(await financeUser.GetPageAsync("/finance"));
        var post = await financeUser.Client.PostAsync($"/manage/campaigns/{campaign}/applications?handler=Decide",
            new FormUrlEncodedContent([new("ids", ids[0]), new("decision", "decline"), new("confirmed", "true"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        await using var db = App.Db();
        Assert.Equal(ApplicationStatus.New, (await db.Applications.SingleAsync(a => a.Id == ids[0])).Status);
    }

    [SkippableFact]
    public async Task ThePagesRunNoInlineScriptOrStyleAndEveryAssetTheyNameIsServed()
    {
        var campaign = await RecruitingCampaignAsync(App);
        await AppliedAsync(App, campaign, Form(NewEmail()));
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        foreach (var url in new[] { $"/apply/{campaign}", $"/apply/{campaign}?sent=true", $"/manage/campaigns/{campaign}/applications", "/manage/outbox" })
        {
            var html = await manager.GetPageAsync(url);
            // Every form that posts carries its own antiforgery token.
            foreach (System.Text.RegularExpressions.Match form in new System.Text.RegularExpressions.Regex("<form method=\"post\".*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline).Matches(html))
            {
                Assert.Contains("name=\"__RequestVerificationToken\"", form.Value);
            }
            Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex("<script(?![^>]*\\bsrc=)[^>]*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase), html);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex("\\s(style|on[a-z]+)=", System.Text.RegularExpressions.RegexOptions.IgnoreCase), html);
            foreach (System.Text.RegularExpressions.Match asset in new System.Text.RegularExpressions.Regex("(?:src|href)=\"(/assets/[^\"]+)\"").Matches(html))
            {
                Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync(asset.Groups[1].Value)).StatusCode);
            }
        }
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}

public sealed class RecruitmentOnSqlite(SqliteFixture fixture) : RecruitmentTests(fixture), IClassFixture<SqliteFixture>;

public sealed class RecruitmentOnPostgres(PostgresFixture fixture) : RecruitmentTests(fixture), IClassFixture<PostgresFixture>;
