using System.Net;
using Ambassadors.Web.Recruitment;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using static Ambassadors.Tests.Recruitment.RecruitmentSteps;

namespace Ambassadors.Tests.Recruitment;

/// <summary>The public form's per-address limit (<c>Ambassadors:RateLimits:ApplyPerMinute</c>), on an app of its own with a low one.</summary>
public sealed class ApplyLimitsTests
{
    [SkippableFact]
    public async Task PastTheLimitAFormIsAnsweredWithA429PageThatSaysToWaitAndStoresNothing()
    {
        await EngineFixture.WithFreshDatabaseAsync(Engine.Sqlite, async database =>
        {
            await using var app = new AmbassadorsApp(Engine.Sqlite, database, $"apply-limit-{Guid.NewGuid():N}")
            {
                Settings = new Dictionary<string, string> { ["Ambassadors:RateLimits:ApplyPerMinute"] = "3" },
            };
            var campaign = await RecruitingCampaignAsync(app);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.Redirect, (await ApplyAsync(app, campaign, Form($"a{i}@example.com"))).StatusCode);
            }
            var refused = await ApplyAsync(app, campaign, Form("a3@example.com"));
            var html = await refused.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("text/html", refused.Content.Headers.ContentType!.ToString());
            Assert.Contains("Wait a minute", html);
            Assert.True(refused.Headers.Contains("Retry-After"));
            // Reading the form is not limited.
            await StaffBrowser.Open(app).GetPageAsync($"/apply/{campaign}");
            await using var db = app.Db();
            Assert.Equal(3, await db.Applications.CountAsync(a => a.CampaignId == campaign));
        });
    }

    [Fact]
    public void TheSmtpSenderIsOffUnlessAHostAndASenderAreConfigured()
    {
        Assert.False(SmtpSettings.Read(new ConfigurationBuilder().Build()).Enabled);
        var configured = SmtpSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ambassadors:Smtp:Host"] = "smtp.example.com", ["Ambassadors:Smtp:From"] = "team@example.com",
        }).Build());
        Assert.True(configured.Enabled);
        Assert.Equal(587, configured.Port);
        Assert.False(SmtpSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ambassadors:Smtp:Host"] = "smtp.example.com",
        }).Build()).Enabled);
    }
}
