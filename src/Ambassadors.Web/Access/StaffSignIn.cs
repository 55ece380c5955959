using Ambassadors.Web.Http;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ambassadors.Web.Access;

/// <summary>
/// Signing in to the web pages: the Identity application cookie, the sign-in manager, and the policies of the workspaces.
/// API keys stay on their own scheme; every /api policy names it, so a signed-in browser gets nothing from /api.
/// </summary>
public static class StaffSignIn
{
    /// <summary>The Identity application cookie's name.</summary>
    public const string CookieName = "amb_session";

    /// <summary>The rate limiter policy of POST /login: so many attempts a minute per client address.</summary>
    public const string SignInRateLimit = "sign-in";

    public static IServiceCollection AddStaffSignIn(this IServiceCollection services)
    {
        // Sign-in cookies and antiforgery tokens are protected with keys kept in the database, so every node reads what
        // another node wrote and a restart signs nobody out.
        services.AddDataProtection().SetApplicationName("Ambassadors").PersistKeysToDbContext<AppDbContext>();

        // The cookie is the default for pages; the ApiKey scheme is still chosen explicitly by every API policy.
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(ConfigureCookie));

        new IdentityBuilder(typeof(AppUser), services)
            .AddSignInManager<StaffSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>();
        services.AddScoped<StaffAdministration>();
        services.AddScoped<PasswordLinks>();
        services.AddSingleton(provider => SignInLimits.From(provider.GetRequiredService<IConfiguration>()));
        // Short: a stranger who types wrong passwords on purpose keeps the owner out only this long (the per-address
        // rate limit below is what slows guessing down).
        services.AddOptions<IdentityOptions>().Configure<SignInLimits>((options, limits) =>
        {
            options.Lockout.DefaultLockoutTimeSpan = limits.Lockout;
            options.Lockout.AllowedForNewUsers = true;
        });
        // Signing out changes the account's security stamp (Logout page), and every request checks the cookie's stamp
        // against the database: a copy of the cookie taken before signing out opens nothing afterwards, on any node.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);

        services.AddRateLimiter(options =>
        {
            options.AddPostsPerAddressPolicy(SignInRateLimit, services => services.GetRequiredService<SignInLimits>().PerMinute);
            // The 429 has no body of its own: the page error handling answers it with a page that says to wait.
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                }
                return ValueTask.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Finance, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(UserRole.Finance.Name(), UserRole.Admin.Name()))
            .AddPolicy(StaffPolicies.Manage, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(UserRole.Manager.Name(), UserRole.Admin.Name()))
            .AddPolicy(StaffPolicies.Admin, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(UserRole.Admin.Name()))
            .AddPolicy(StaffPolicies.Portal, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(UserRole.Ambassador.Name())
                .RequireClaim(StaffSignIn.AmbassadorClaim))
            .AddPolicy(StaffPolicies.SignedIn, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser());
        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/login";
        options.LogoutPath = "/logout";
        options.ReturnUrlParameter = "ReturnUrl";
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        // The wrong role gets the 403 itself (a page rendered by the status-code pages), not a redirect elsewhere.
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    /// <summary>The claim that carries a signed-in ambassador's id (from <see cref="AppUser.AmbassadorId"/>).</summary>
    public const string AmbassadorClaim = "ambassador_id";

    /// <summary>The signed-in ambassador's id; only the portal's policy lets a request in, and it requires the claim.</summary>
    public static string AmbassadorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(AmbassadorClaim) ?? throw new InvalidOperationException("Not an ambassador's session.");

    /// <summary>The signed-in person as the payout service's audit actor.</summary>
    public static Actor PageActor(this ClaimsPrincipal user) =>
        new($"user:{user.FindFirstValue(ClaimTypes.NameIdentifier)}", user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown");

    /// <summary>Where someone lands after signing in without a ReturnUrl: their role's workspace.</summary>
    public static string HomeOf(string role) => !UserRoles.TryParse(role, out var known) ? "/login" : known switch
    {
        UserRole.Finance or UserRole.Admin => "/finance",
        UserRole.Manager => "/manage",
        UserRole.Ambassador => "/portal",
        _ => "/login",
    };
}

/// <summary>How often sign-in may be tried: <c>Ambassadors:RateLimits:SignInPerMinute</c> per client address (20), and how long
/// 10 failures in a row lock an account: <c>Ambassadors:SignIn:LockoutSeconds</c> (60).</summary>
public sealed record SignInLimits(int PerMinute, TimeSpan Lockout)
{
    public static SignInLimits From(IConfiguration configuration) => new(
        Math.Max(1, configuration.GetValue("Ambassadors:RateLimits:SignInPerMinute", 20)),
        TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Ambassadors:SignIn:LockoutSeconds", 60))));
}

/// <summary>Authorization policies of the pages (cookie scheme).</summary>
public static class StaffPolicies
{
    public const string Finance = "pages:finance";
    public const string Manage = "pages:manage";
    /// <summary>Staff administration (/manage/staff): admins only.</summary>
    public const string Admin = "pages:admin";
    public const string SignedIn = "pages:signed-in";
    /// <summary>The ambassadors' portal (/portal): ambassadors only, each with their own ambassador id.</summary>
    public const string Portal = "pages:portal";
}

/// <summary>Adds the account's role (admin, manager, finance or ambassador) as a role claim to the sign-in cookie.</summary>
public sealed class StaffClaimsPrincipalFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, user.Role));
        if (user.AmbassadorId is { } ambassadorId && user.Role == UserRole.Ambassador.Name())
        {
            identity.AddClaim(new Claim(StaffSignIn.AmbassadorClaim, ambassadorId));
        }
        if (!identity.HasClaim(c => c.Type == ClaimTypes.Email) && user.Email is not null)
        {
            identity.AddClaim(new Claim(ClaimTypes.Email, user.Email));
        }
        return identity;
    }
}

/// <summary>Error pages for the web pages (HTML), leaving /api to its problem details.</summary>
public static class StaffPages
{
    /// <summary>The entry points whose errors are pages a person reads.</summary>
    private static readonly string[] PagePaths = ["/login", "/logout", "/finance", "/manage", "/error", "/language", "/apply", "/portal"];

    public static bool IsPage(HttpContext context) =>
        PagePaths.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// For page paths: a status without a body (403, 404, 400 from antiforgery) and an unhandled exception are
    /// answered by /error/{status}, an HTML page without a stack trace. Other paths keep their problem details: this
    /// re-execution is switched off for them, so the outer status-code pages answer as before.
    /// </summary>
    /// <remarks>Not a UseWhen branch: a branch has no access to the app's routes, so the re-executed /error/{status} would not be found.</remarks>
    public static IApplicationBuilder UseStaffErrorPages(this IApplicationBuilder app)
    {
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        return app.Use(async (context, next) =>
        {
            if (!IsPage(context))
            {
                if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages) statusPages.Enabled = false;
                await next(context);
                return;
            }
            try
            {
                await next(context);
            }
            catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Ambassadors.Web.Http.Pages")
                    .LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        });
    }
}
