using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Missions;

/// <summary>
/// A mission from end to end in Debian's Chromium, in English and in Dutch: a manager makes it (desktop), an ambassador
/// sends proof on a phone (390x844), the manager accepts it with two others in bulk after the confirmation, and the
/// ambassador sees the bonus and when it becomes payable. No page scrolls sideways (the manager's pages at 390 px too),
/// the CSP refuses nothing. Screenshots with AMBASSADORS_SCREENSHOTS.
/// </summary>
public sealed class MissionBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableTheory]
    [InlineData("en")]
    [InlineData("nl")]
    public async Task AManagerMakesAMissionTheAmbassadorSendsProofOnAPhoneTheManagerAcceptsInBulkAndTheBonusShows(string language)
    {
        var nl = language == "nl";
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(holdingPeriodDays: 14, name: nl ? "Fiesta Beweging" : "Fiesta Movement");
        var managerEmail = await StaffBrowser.CreateUserAsync(App, "manager");
        var ambassador = await admin.CreateAmbassadorAsync();
        var annaId = ambassador["id"].Str();
        await PortalBrowser.EnrolAsync(App, campaignId, annaId);
        var invitation = await PortalBrowser.InvitationPathAsync(App, annaId);
        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        var culture = new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = origin };

        // 1. The manager makes the mission on the campaign's missions page.
        await using var desk = await BrowserSession.StartAsync(fixture.BaseAddress);
        var manager = desk.Page;
        await manager.GotoAsync($"/manage/campaigns/{campaignId}/missions");
        await BrowserSession.SignInAsync(manager, managerEmail);
        await manager.Context.AddCookiesAsync([culture]);
        await manager.GotoAsync($"/manage/campaigns/{campaignId}/missions");
        await manager.Locator("#m-title").FillAsync(nl ? "Missie 1: de Fiesta bij een bekende plek" : "Mission 1: the Fiesta at a landmark");
        await manager.Locator("#m-brief").FillAsync(nl ? "Zet de Fiesta op een plek die iedereen kent.\nDeel een foto met #FiestaMovement." : "Take the Fiesta somewhere people know.\nShare a photo with #FiestaMovement.");
        await manager.Locator("#m-starts").FillAsync(MissionSteps.Day(-1));
        await manager.Locator("#m-due").FillAsync(MissionSteps.Day(12));
        await manager.Locator("#m-bonus").FillAsync(nl ? "25,00" : "25.00");
        await manager.Locator("[data-testid=mission-form] button[type=submit]").ClickAsync();
        await Expect(manager).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/manage/missions/msn_"));
        var missionPath = new Uri(manager.Url).AbsolutePath;
        var missionId = missionPath.Split('/')[^1];
        await Expect(manager.GetByTestId("flash")).ToBeVisibleAsync();
        await Expect(manager.GetByTestId("bonus")).ToHaveTextAsync("25" + (nl ? ",00" : ".00") + " EUR");

        // Two other members send proof before Anna does.
        foreach (var name in new[] { "Bram Jansen", "Carla Smit" }) await OtherMemberSendsProofAsync(admin, campaignId, missionId, name);

        // 2. Anna, on her phone: the invitation, her missions, the mission, her proof.
        await using var phone = await BrowserSession.StartAsync(fixture.BaseAddress, 390, 844);
        var anna = phone.Page;
        await anna.Context.AddCookiesAsync([culture]);
        await anna.GotoAsync(invitation);
        await anna.Locator("input[name=Password]").FillAsync(PortalBrowser.Password);
        await anna.Locator("input[name=Confirm]").FillAsync(PortalBrowser.Password);
        await anna.Locator("[data-testid=onboarding] form button[type=submit]").ClickAsync();
        await Expect(anna).ToHaveURLAsync($"{origin}/portal");
        await anna.GotoAsync("/portal/missions");
        await Expect(anna.GetByTestId("my-mission").First.GetByTestId("when")).ToHaveTextAsync(nl ? "Nog 12 dagen" : "12 days left");
        await Step(anna, phone, $"missions-portal-list-{language}-390");
        await anna.GetByTestId("my-mission").First.Locator("h3 a").ClickAsync();
        await Expect(anna).ToHaveURLAsync($"{origin}{missionPath.Replace("/manage/", "/portal/")}");
        await anna.Locator("#proof-url").FillAsync("https://www.instagram.com/p/FiestaDomTower");
        await anna.Locator("#note").FillAsync(nl ? "Bij de Domtoren in Utrecht" : "At the Dom tower in Utrecht");
        await anna.GetByTestId("send").ClickAsync();
        await Expect(anna.GetByTestId("notice")).ToBeVisibleAsync();
        await Expect(anna.GetByTestId("my-status")).ToHaveTextAsync(nl ? "Ingestuurd" : "Submitted");
        await Step(anna, phone, $"missions-portal-sent-{language}-390");

        // 3. The manager selects all three and accepts them after the confirmation.
        await manager.GotoAsync(missionPath);
        await Expect(manager.GetByTestId("submission")).ToHaveCountAsync(3);
        await manager.Locator("#select-all").CheckAsync();
        await Expect(manager.Locator("#selected-count")).ToHaveTextAsync(nl ? "3 geselecteerd" : "3 selected");
        await Step(manager, desk, $"missions-review-{language}");
        await manager.GetByTestId("bulk-accept").ClickAsync();
        await Expect(manager.GetByTestId("confirm-bonus")).ToContainTextAsync(nl ? "3 × 25,00 EUR = 75,00 EUR" : "3 × 25.00 EUR = 75.00 EUR");
        await Step(manager, desk, $"missions-confirm-{language}");
        await manager.GetByTestId("confirm-yes").ClickAsync();
        await Expect(manager.GetByTestId("flash")).ToHaveTextAsync(nl ? "3 goedgekeurd" : "3 accepted");
        await Expect(manager.GetByTestId("count-accepted")).ToHaveTextAsync("3");
        await Step(manager, desk, $"missions-reviewed-{language}");
        await manager.SetViewportSizeAsync(390, 844);
        await Step(manager, desk, $"missions-reviewed-{language}-390");
        await manager.GotoAsync($"/manage/campaigns/{campaignId}/missions");
        await Expect(manager.GetByTestId("completed").First).ToContainTextAsync(nl ? "3 van 3 leden" : "3 of 3 members");
        await Step(manager, desk, $"missions-campaign-{language}-390");
        await manager.SetViewportSizeAsync(1280, 800);
        await Step(manager, desk, $"missions-campaign-{language}");

        // 4. Anna sees the bonus and when it becomes payable.
        await anna.ReloadAsync();
        await Expect(anna.GetByTestId("review")).ToContainTextAsync(nl ? "Je bonus van 25,00 EUR wordt uitbetaalbaar op" : "Your bonus of 25.00 EUR becomes payable on");
        await Step(anna, phone, $"missions-portal-mission-{language}-390");
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{annaId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(25m, MissionSteps.AmountIn(stats["rewards"]!["pending"]));
    }

    /// <summary>Another member, through the real invitation and the portal's form over HTTP to the Kestrel server.</summary>
    private async Task OtherMemberSendsProofAsync(HttpClient admin, string campaignId, string missionId, string name)
    {
        var id = (await (await admin.PostJsonAsync("/api/v1/ambassadors", new { name, email = $"{Guid.NewGuid():N}@example.com" })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        await PortalBrowser.EnrolAsync(App, campaignId, id);
        var browser = new StaffBrowser(App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = fixture.BaseAddress,
        }));
        // (A client of the Kestrel server follows redirects whatever its options say: the stored submission is the proof.)
        Assert.True((await PortalBrowser.AcceptInvitationAsync(browser, await PortalBrowser.InvitationPathAsync(App, id))).IsSuccessStatusCode);
        Assert.True((await browser.SendProofAsync(missionId, $"https://www.instagram.com/p/{name.Split(' ')[0]}Fiesta", "")).IsSuccessStatusCode);
        Assert.Equal("submitted", (await admin.SubmissionOfAsync(missionId, id))["status"].Str());
    }

    /// <summary>Every step: no sideways scroll, nothing refused by the CSP, and a picture.</summary>
    private static async Task Step(IPage page, BrowserSession session, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        Assert.Empty(session.CspViolations);
        await BrowserSession.ShotAsync(page, name);
    }
}
