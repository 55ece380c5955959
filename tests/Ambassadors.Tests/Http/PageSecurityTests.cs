using System.Net;
using System.Text.RegularExpressions;
using Ambassadors.Payouts;
using Ambassadors.Tests.Payouts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.Http;

/// <summary>
/// What every page sends besides its HTML: the security headers, a CSP the page really satisfies (no inline script, style
/// or handler, every asset it names is served) and the favicon browsers ask for. Storage plays no part: SQLite only.
/// </summary>
public sealed partial class PageSecurityTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task EveryPageForbidsFramingAndSniffingAndAllowsOnlyItsOwnFiles()
    {
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        foreach (var (path, status) in await PagesAsync(finance))
        {
            var response = await finance.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"GET {path}: {(int)response.StatusCode}");
            AssertSecurityHeaders(response, path);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{path}: HSTS over plain HTTP");

            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(InlineStyleOrHandler(), html);
            foreach (Match asset in LocalAsset().Matches(html))
            {
                var file = await finance.GetAsync(asset.Groups[1].Value);
                Assert.True(file.StatusCode == HttpStatusCode.OK, $"{path} names {asset.Groups[1].Value}, which answers {(int)file.StatusCode}");
            }
        }
        var anonymous = await StaffBrowser.Open(App).GetAsync("/login");
        AssertSecurityHeaders(anonymous, "/login");
        await AssertSecurityHeadersAsync(App.Admin().GetAsync("/api/v1/campaigns"), "/api/v1/campaigns");
    }

    [SkippableFact]
    public async Task HstsIsSentOverHttpsOnly()
    {
        // Not to localhost: the middleware leaves HSTS off for it, so a developer's browser is not pinned to HTTPS.
        var https = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://ambassadors.example"), AllowAutoRedirect = false });
        var response = await https.GetAsync("/login");
        AssertSecurityHeaders(response, "/login");
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [SkippableFact]
    public async Task TheFaviconIsServed()
    {
        var response = await StaffBrowser.Open(App).GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, bytes[..4]); // an ICO file's header
        Assert.Contains("rel=\"icon\" href=\"/favicon.ico\"", await StaffBrowser.Open(App).GetPageAsync("/login"));
    }

    /// <summary>Each page of the workspace as finance sees it, with its expected status.</summary>
    private async Task<List<(string Path, HttpStatusCode Status)>> PagesAsync(StaffBrowser finance)
    {
        var payee = await PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 20m);
        var batch = await App.Services.GetRequiredService<IPayoutService>()
            .CreateAsync(new BatchRequest(DateOnly.FromDateTime(DateTime.UtcNow)), new Actor("cli", "test"), CancellationToken.None);
        var id = batch.Value!.Id;
        var export = await finance.PostFormAsync($"/finance/batches/{id}", new Dictionary<string, string>(), $"/finance/batches/{id}?handler=Export");
        return
        [
            ("/login", HttpStatusCode.OK), ("/logout", HttpStatusCode.OK), ("/finance", HttpStatusCode.OK), ("/finance/new", HttpStatusCode.OK),
            ("/finance/missing-details", HttpStatusCode.OK), ("/finance/audit", HttpStatusCode.OK), ($"/finance/batches/{id}", HttpStatusCode.OK),
            (export.Headers.Location!.OriginalString, HttpStatusCode.OK), // with the export box and its script
            ($"/finance/payees/{payee}", HttpStatusCode.OK), ("/finance/nothing/here", HttpStatusCode.NotFound), ("/manage", HttpStatusCode.Forbidden),
        ];
    }

    private static async Task AssertSecurityHeadersAsync(Task<HttpResponseMessage> request, string path) => AssertSecurityHeaders(await request, path);

    private static void AssertSecurityHeaders(HttpResponseMessage response, string path)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{path}: no CSP");
        var policy = Assert.Single(csp);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("default-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")), ignoreCase: true);
        Assert.NotEmpty(Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<[^>]+\\s(style|on[a-z]+)\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();

    [GeneratedRegex("(?:src|href)=\"(/(?:assets/[^\"]+|favicon\\.ico))\"")]
    private static partial Regex LocalAsset();
}
