using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Ambassadors.Tests.Access;

/// <summary>
/// The lockout and the per-address rate limit of sign-in, on an app of their own: a lockout of two seconds (so the test
/// sees it pass without a long wait) and 30 attempts a minute per address.
/// </summary>
public abstract partial class SignInLimitsTests(Engine engine) : IAsyncLifetime
{
    private static readonly TimeSpan Lockout = TimeSpan.FromSeconds(2);
    private const int PerMinute = 30;

    private string? _database;
    private AmbassadorsApp? _app;

    private AmbassadorsApp App => _app ?? throw new SkipException(TestDatabases.SkipReason);

    public async Task InitializeAsync()
    {
        if (engine == Engine.Postgres && TestDatabases.PostgresAdmin is null) return;
        _database = await EngineFixture.NewDatabaseAsync(engine);
        _app = new AmbassadorsApp(engine, _database, $"limits-{Guid.NewGuid():N}")
        {
            Settings = new Dictionary<string, string>
            {
                ["Ambassadors:SignIn:LockoutSeconds"] = ((int)Lockout.TotalSeconds).ToString(),
                ["Ambassadors:RateLimits:SignInPerMinute"] = PerMinute.ToString(),
            },
        };
        _app.Server.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_database is not null) await EngineFixture.DropDatabaseAsync(engine, _database);
    }

    [SkippableFact]
    public async Task AWrongPasswordAnUnknownEmailAndALockedAccountGetTheSameAnswerAndTheOwnerGetsBackInOnceTheLockoutPasses()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "finance");
        var browser = StaffBrowser.Open(App);

        var wrong = await AnswerAsync(browser.SignInAsync(email, "Wrong-password-0"));
        var unknown = await AnswerAsync(browser.SignInAsync($"nobody.{Guid.NewGuid():N}@example.com", "Wrong-password-0"));
        for (var attempt = 1; attempt < 10; attempt++) await browser.SignInAsync(email, $"Wrong-password-{attempt}");
        var locked = await AnswerAsync(browser.SignInAsync(email, StaffBrowser.Password));
        var lockedAt = DateTime.UtcNow;

        Assert.Equal((HttpStatusCode.OK, "The email or the password is not right."), (wrong.Status, wrong.Message[..39]));
        Assert.Equal(wrong, unknown);
        Assert.Equal(wrong, locked); // the right password while locked: the same words, still not signed in
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/finance")).StatusCode);

        var wait = Lockout - (DateTime.UtcNow - lockedAt) + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var again = await browser.SignInAsync(email, StaffBrowser.Password);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/finance", again.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/finance")).StatusCode);
    }

    [SkippableFact]
    public async Task OneAddressGetsSoManyAttemptsAMinuteThenAPageThatSaysToWait()
    {
        var stranger = "203.0.113.7";
        for (var attempt = 0; attempt < PerMinute; attempt++)
        {
            // Without an antiforgery token each is refused with 400, after the rate limiter has counted it.
            Assert.Equal(StatusCodes.Status400BadRequest, (await PostLoginFromAsync(stranger)).Response.StatusCode);
        }
        var limited = await PostLoginFromAsync(stranger);
        var html = await new StreamReader(limited.Response.Body).ReadToEndAsync();
        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.Response.StatusCode);
        Assert.StartsWith("text/html", limited.Response.ContentType);
        Assert.Contains("Wait a minute, then try again.", html);
        Assert.True(int.Parse(limited.Response.Headers.RetryAfter!) is > 0 and <= 60);

        // Another address is not held up, and the page itself still opens for the limited one.
        Assert.Equal(StatusCodes.Status400BadRequest, (await PostLoginFromAsync("198.51.100.20")).Response.StatusCode);
        var page = await App.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = "/login";
            context.Connection.RemoteIpAddress = IPAddress.Parse(stranger);
        });
        Assert.Equal(StatusCodes.Status200OK, page.Response.StatusCode);
    }

    /// <summary>A POST /login as if from <paramref name="address"/> (the in-memory server has no client addresses of its own).</summary>
    private Task<HttpContext> PostLoginFromAsync(string address) => App.Server.SendAsync(context =>
    {
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/login";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Body = new MemoryStream("Email=x%40example.com&Password=Wrong-password-1"u8.ToArray());
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
    });

    /// <summary>What a person sees of a sign-in attempt: its status and the message on the page.</summary>
    private static async Task<(HttpStatusCode Status, string Message)> AnswerAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        var match = LoginError().Match(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, match.Success ? match.Groups[1].Value : "(no message)");
    }

    [GeneratedRegex("data-testid=\"login-error\">([^<]*)<")]
    private static partial Regex LoginError();
}

public sealed class SignInLimitsOnSqlite() : SignInLimitsTests(Engine.Sqlite);

public sealed class SignInLimitsOnPostgres() : SignInLimitsTests(Engine.Postgres);
