using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ambassadors.Tests.Support;

/// <summary>
/// A browser-like client for the pages: keeps cookies, shows redirects instead of following them, and posts forms with
/// the antiforgery token of the page they came from.
/// </summary>
public sealed partial class StaffBrowser(HttpClient client)
{
    public const string Password = "Finance-Pages-2026";

    public HttpClient Client { get; } = client;

    public static StaffBrowser Open(AmbassadorsApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>Creates a staff account through the API with the admin key; returns its email.</summary>
    public static async Task<string> CreateUserAsync(AmbassadorsApp app, string role)
    {
        var email = $"{role}.{Guid.NewGuid():N}@example.com";
        var response = await app.Admin().PostJsonAsync("/api/v1/users", new { email, password = Password, role });
        await response.AssertJsonAsync(HttpStatusCode.Created);
        return email;
    }

    /// <summary>A browser signed in as a new account of the role.</summary>
    public static async Task<(StaffBrowser Browser, string Email)> SignedInAsync(AmbassadorsApp app, string role)
    {
        var email = await CreateUserAsync(app, role);
        var browser = Open(app);
        var response = await browser.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (browser, email);
    }

    public Task<HttpResponseMessage> GetAsync(string url) => Client.GetAsync(url);

    /// <summary>The session cookie a sign-in response set, as "amb_session=…" (what a thief would copy).</summary>
    public static string SessionCookieOf(HttpResponseMessage signIn)
    {
        Assert.True(signIn.Headers.TryGetValues("Set-Cookie", out var cookies), "The response set no cookie.");
        return cookies.Single(c => c.StartsWith("amb_session=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>A GET from another client that sends only <paramref name="cookie"/>.</summary>
    public static Task<HttpResponseMessage> GetWithCookieAsync(AmbassadorsApp app, string url, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client.GetAsync(url);
    }

    public async Task<string> GetPageAsync(string url, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"GET {url}: expected {(int)status}, got {(int)response.StatusCode}: {html}");
        return html;
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string? returnUrl = null)
    {
        var form = new Dictionary<string, string> { ["Email"] = email, ["Password"] = password };
        if (returnUrl is not null) form["ReturnUrl"] = returnUrl;
        return await PostFormAsync("/login", form);
    }

    /// <summary>GETs <paramref name="pageUrl"/>, then posts the form to <paramref name="action"/> (default: the page) with its token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, IDictionary<string, string> fields, string? action = null)
    {
        var page = await GetPageAsync(pageUrl);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = TokenIn(page) };
        return await Client.PostAsync(action ?? pageUrl, new FormUrlEncodedContent(form));
    }

    public static string TokenIn(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
