using System.Net;
using System.Text.RegularExpressions;
using Ambassadors.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.Recruitment;

/// <summary>Recruitment set-ups: a recruiting campaign with its terms and target countries, applications through the public form.</summary>
public static partial class RecruitmentSteps
{
    public const string Terms = "Ambassadors share honest opinions and disclose the partnership in every post.";

    /// <summary>A campaign through the API, then the recruitment fields (description, terms, target countries) set in its record.</summary>
    public static async Task<string> RecruitingCampaignAsync(AmbassadorsApp app, int? capacity = null, string[]? targetCountries = null,
        CampaignStatus status = CampaignStatus.Recruiting, ScoringWeights? weights = null, string name = "Fiesta Movement")
    {
        var id = (await app.Admin().CreateCampaignAsync(capacity: capacity, name: name))["id"].Str();
        await using var db = app.Db();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == id);
        campaign.Description = "Drive the new Fiesta for six months and tell your followers about it.";
        campaign.Terms = Terms;
        campaign.TargetCountries = [.. targetCountries ?? []];
        campaign.Status = status;
        if (weights is not null) campaign.Scoring = weights;
        campaign.Version++;
        await db.SaveChangesAsync();
        return id;
    }

    public static Dictionary<string, string> Form(string email, string country = "NL", long followers = 12_500, string? engagement = "3.5",
        bool consent = true, string name = "Anna de Vries") => new()
    {
        ["Name"] = name,
        ["Email"] = email,
        ["Country"] = country,
        ["Profiles[0].Network"] = "instagram",
        ["Profiles[0].Handle"] = "@anna",
        ["Profiles[0].Followers"] = followers.ToString(),
        ["Profiles[0].EngagementRate"] = engagement ?? "",
        ["Motivation"] = "I have driven Fords for years and my followers ask me about cars every week.",
        ["Samples"] = "https://instagram.com/p/abc\nhttps://blog.example/fiesta",
        ["Consent"] = consent ? "true" : "false",
    };

    /// <summary>Posts the public form as a browser does (the token of a fresh GET, the cookies).</summary>
    public static Task<HttpResponseMessage> ApplyAsync(AmbassadorsApp app, string campaignId, IDictionary<string, string> form) =>
        StaffBrowser.Open(app).PostFormAsync($"/apply/{campaignId}", form);

    /// <summary>Applies and expects the thank-you redirect; returns the stored application's id.</summary>
    public static async Task<string> AppliedAsync(AmbassadorsApp app, string campaignId, IDictionary<string, string> form)
    {
        var response = await ApplyAsync(app, campaignId, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = app.Db();
        var email = form["Email"].ToLowerInvariant();
        return await db.Applications.Where(a => a.CampaignId == campaignId && a.NormalizedEmail == email).Select(a => a.Id).SingleAsync();
    }

    /// <summary>Many applications written straight into the database (the review and capacity tests need numbers, not forms).</summary>
    public static async Task<List<string>> SeedAsync(AmbassadorsApp app, string campaignId, int count, Func<int, Application>? shape = null)
    {
        await using var db = app.Db();
        var now = DateTimeOffset.UtcNow;
        var applications = Enumerable.Range(0, count).Select(i =>
        {
            var application = shape?.Invoke(i) ?? new Application
            {
                Id = Ids.New("app"), CampaignId = campaignId, Name = $"Applicant {i}", Email = $"applicant{i}.{Guid.NewGuid().ToString("N")[..8]}@example.com",
                NormalizedEmail = "", Country = i % 3 == 0 ? "BE" : "NL", Motivation = "Cars.", Status = ApplicationStatus.New,
                SocialProfiles = [new ApplicantProfile { Network = "instagram", Handle = $"@a{i}", Followers = 100 * (i + 1), EngagementRate = i % 2 == 0 ? 2.5m : null }],
                SubmittedAt = now.AddMinutes(-i), ConsentedAt = now.AddMinutes(-i), Version = 1,
            };
            application.NormalizedEmail = application.Email.ToLowerInvariant();
            return application;
        }).ToList();
        db.Applications.AddRange(applications);
        await db.SaveChangesAsync();
        return applications.Select(a => a.Id).ToList();
    }

    /// <summary>A manager account with a short email (as people have; the screenshots show it in the header).</summary>
    public static async Task<string> ManagerAsync(AmbassadorsApp app)
    {
        var email = $"sanne.{Guid.NewGuid().ToString("N")[..6]}@example.com";
        var response = await app.Admin().PostJsonAsync("/api/v1/users", new { email, password = StaffBrowser.Password, role = "manager" });
        await response.AssertJsonAsync(HttpStatusCode.Created);
        return email;
    }

    /// <summary>A signed-in account of the ambassador role (the portal's), made through Identity as the portal's onboarding will.</summary>
    public static async Task<StaffBrowser> SignedInAmbassadorAsync(AmbassadorsApp app)
    {
        var email = $"ambassador.{Guid.NewGuid():N}@example.com";
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var result = await users.CreateAsync(new AppUser { UserName = email, Email = email, Role = UserRole.Ambassador.Name(), CreatedAt = DateTimeOffset.UtcNow }, StaffBrowser.Password);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        }
        var browser = StaffBrowser.Open(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, StaffBrowser.Password)).StatusCode);
        return browser;
    }

    /// <summary>The text of the element with this data-testid (first one).</summary>
    public static string TestId(string html, string id)
    {
        var match = Regex.Match(html, $"data-testid=\"{Regex.Escape(id)}\"[^>]*>(.*?)</", RegexOptions.Singleline);
        Assert.True(match.Success, $"No element with data-testid={id}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
    }
}
