using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Ambassadors.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ambassadors.Web.Access;

/// <summary>`Authorization: Bearer &lt;api key&gt;` for /api/v1; answers 401/403 as problem details.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<AppDbContext> contexts,
    IConfiguration configuration,
    IProblemDetailsService problems,
    ApiKeyCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "ambassadors:key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Use 'Authorization: Bearer <api key>'.");
        }
        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > 200) return AuthenticateResult.Fail("The API key is not valid.");

        var bootstrap = configuration["Ambassadors:AdminApiKey"];
        if (!string.IsNullOrEmpty(bootstrap) && CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(bootstrap)))
        {
            return Success("bootstrap", "bootstrap admin key", ApiKeyRole.Admin.Name());
        }

        var hash = ApiKeys.Hash(secret);
        if (cache.Find(hash) is not { } key)
        {
            await using var db = await contexts.CreateDbContextAsync(Context.RequestAborted);
            key = await db.ApiKeys.AsNoTracking()
                .Where(k => k.KeyHash == hash && k.RevokedAt == null)
                .Select(k => new ApiKeyCache.Key(k.Id, k.Name, k.Role.Name()))
                .SingleOrDefaultAsync(Context.RequestAborted);
            if (key is null) return AuthenticateResult.Fail("The API key is not valid.");
            cache.Remember(hash, key);
        }
        return Success(key.Id, key.Name, key.Role);
    }

    private AuthenticateResult Success(string keyId, string name, string role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim(KeyIdClaim, keyId)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var hasHeader = Request.Headers.Authorization.Count > 0;
        return WriteAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            hasHeader ? "The API key is not valid or has been revoked." : "Send an API key: 'Authorization: Bearer <api key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "unknown";
        return WriteAsync(StatusCodes.Status403Forbidden, "Forbidden", $"A '{role}' key may not do this.");
    }

    private async Task WriteAsync(int status, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
}

/// <summary>
/// Valid API keys this node checked in the last <see cref="Lifetime"/>, by hash: a merchant's every conversion was one
/// database read for its key (docs/decisions.md, "Conversions ingestion"). Only valid keys are kept (a made-up key is read
/// every time, so guessing fills no memory); a revocation clears this node's cache at once and reaches every other node
/// within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiKeyCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    public sealed record Key(string Id, string Name, string Role);

    private readonly ConcurrentDictionary<string, (Key Key, DateTimeOffset Until)> _keys = new();

    public Key? Find(string hash)
    {
        if (!_keys.TryGetValue(hash, out var entry)) return null;
        if (clock.GetUtcNow() < entry.Until) return entry.Key;
        _keys.TryRemove(KeyValuePair.Create(hash, entry));
        return null;
    }

    public void Remember(string hash, Key key) => _keys[hash] = (key, clock.GetUtcNow() + Lifetime);

    /// <summary>After a revocation: every key is read again (revocations are rare).</summary>
    public void Clear() => _keys.Clear();
}

/// <summary>Who may call what (API.md, "Authentication").</summary>
public static class ApiPolicies
{
    public const string Admin = "api:admin";
    public const string Manager = "api:manager";
    public const string Finance = "api:finance";
    public const string Merchant = "api:merchant";
    /// <summary>Stats are for managers and finance alike.</summary>
    public const string Stats = "api:stats";

    public static IServiceCollection AddApiKeyAccess(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyCache>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => Roles(p, ApiKeyRole.Admin))
            .AddPolicy(Manager, p => Roles(p, ApiKeyRole.Admin, ApiKeyRole.Manager))
            .AddPolicy(Finance, p => Roles(p, ApiKeyRole.Admin, ApiKeyRole.Finance))
            .AddPolicy(Merchant, p => Roles(p, ApiKeyRole.Admin, ApiKeyRole.Merchant))
            .AddPolicy(Stats, p => Roles(p, ApiKeyRole.Admin, ApiKeyRole.Manager, ApiKeyRole.Finance));
        return services;
    }

    private static void Roles(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy, params ApiKeyRole[] roles) =>
        policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
            .RequireRole(roles.Select(role => role.Name()));

    /// <summary>"key:{id}" or "bootstrap", for the audit log.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is { } id && id != "bootstrap" ? $"key:{id}" : "bootstrap";
}
