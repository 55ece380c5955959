using System.Net;
using Ambassadors.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.AmbassadorProfiles;

/// <summary>Ambassadors with a portal account or an open invitation, and multipart uploads, for the ambassadors' pages.</summary>
public static class PeopleSeed
{
    public static async Task<string> AmbassadorAsync(HttpClient admin, string name, string email, string? country = null, long followers = 1000)
    {
        var response = await admin.PostJsonAsync("/api/v1/ambassadors", new
        {
            name, email, country, socialProfiles = new[] { new { network = "instagram", handle = "@" + name.Split(' ')[0].ToLowerInvariant(), followers } },
        });
        return (await response.AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
    }

    /// <summary>A portal account for the ambassador (what accepting an invitation makes); returns its email.</summary>
    public static async Task<string> PortalAccountAsync(AmbassadorsApp app, string ambassadorId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"portal.{Guid.NewGuid():N}@example.com";
        var result = await users.CreateAsync(new AppUser
        {
            UserName = email, Email = email, Role = UserRole.Ambassador.Name(), AmbassadorId = ambassadorId, CreatedAt = DateTimeOffset.UtcNow,
        }, StaffBrowser.Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return email;
    }

    /// <summary>An unused invitation that expires in <paramref name="expiresIn"/> (negative: already expired).</summary>
    public static async Task InvitationAsync(AmbassadorsApp app, string ambassadorId, TimeSpan expiresIn)
    {
        await using var db = app.Db();
        db.AccessTokens.Add(new AccessToken
        {
            Id = Ids.New("tok"), Purpose = AccessTokenPurpose.Invitation, TokenHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + new string('0', 32),
            AmbassadorId = ambassadorId, CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow + expiresIn,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Posts a file to the import page's preview, with the page's antiforgery token, as a browser would.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(StaffBrowser browser, byte[] file, string fileName, string? campaignId = null)
    {
        var page = await browser.GetPageAsync("/manage/ambassadors/import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(StaffBrowser.TokenIn(page)), "__RequestVerificationToken" },
            { new StringContent(campaignId ?? ""), "CampaignId" },
            { new ByteArrayContent(file), "Upload", fileName },
        };
        return await browser.Client.PostAsync("/manage/ambassadors/import?handler=Preview", form);
    }

    /// <summary>The preview's commit form posted back (its own token and protected payload).</summary>
    public static async Task<HttpResponseMessage> CommitAsync(StaffBrowser browser, string previewHtml)
    {
        var form = previewHtml[previewHtml.IndexOf("data-testid=\"commit\"", StringComparison.Ordinal)..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        var payload = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(form, "name=\"Payload\" value=\"([^\"]+)\"").Groups[1].Value);
        return await browser.Client.PostAsync("/manage/ambassadors/import?handler=Commit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StaffBrowser.TokenIn(form), ["Payload"] = payload,
        }));
    }
}
