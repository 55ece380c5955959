using Microsoft.AspNetCore.HttpOverrides;
using System.Text.Json.Serialization;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Content;
using Ambassadors.Web.Conversions;
using Ambassadors.Payouts;
using Ambassadors.Web.Http;
using Ambassadors.Web.Payouts;
using Ambassadors.Web.Portal;
using Ambassadors.Web.Hosting;
using Ambassadors.Web.Missions;
using Ambassadors.Web.Recruitment;
using Ambassadors.Web.ReferralCodes;
using Ambassadors.Web.Stats;
using Ambassadors.Web.Tracking;

// Settings are read once at start, so the configuration files are not watched: the content root's watcher saw every
// write to the default SQLite file under it (data/ambassadors.db and its WAL), a thread's work per write for nothing.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);

// Quiet defaults (the content root is where `dotnet run` was typed, so no appsettings.json is assumed);
// Logging:LogLevel settings for more specific categories still apply.
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Polly", LogLevel.Warning);

// Relational records (EF Core, SQLite by default or PostgreSQL), migrated before anything else starts.
var storage = builder.Services.AddAmbassadorsStorage(builder.Configuration);
builder.Services.AddHostedService<StartupMigration>();

// The co-hosted Orleans silo: grains per ambassador, campaign, content piece and referral code.
builder.AddAmbassadorsSilo(storage);

// API keys with roles, and staff accounts.
builder.Services.AddApiKeyAccess();
builder.Services.AddIdentityCore<AppUser>(StaffAccounts.ConfigurePasswords).AddEntityFrameworkStores<AppDbContext>();
// On a start where no one can get in, one warning with the command that makes an admin key.
builder.Services.AddHostedService<FirstRunHint>();

// RFC 9457 problem details for every error, readable messages for unreadable bodies.
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.FillInDetail);
builder.Services.AddSingleton<IProblemDetailsWriter, ApiProblemWriter>();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.NumberHandling = JsonNumberHandling.AllowReadingFromString;
    // Numbers read exactly in any JSON notation, dates within 2000-01-01..2100-12-31 (API.md, "Input rules").
    JsonInput.Configure(options.SerializerOptions);
});

// The OpenAPI document at /openapi/v1.json, readiness at /health.
builder.Services.AddAmbassadorsOpenApi();
builder.Services.AddAmbassadorsHealth();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<PublicLinks>();
builder.Services.AddTracking();
builder.Services.AddRedirect();
builder.Services.AddSingleton<ConversionWriter>();
builder.Services.AddSingleton<MemberTermsReader>();
builder.Services.AddSingleton<ConversionService>();
builder.Services.AddSingleton<StatsService>();
builder.Services.AddSingleton<Ambassadors.Web.Feedback.FeedbackService>();
builder.Services.AddSingleton<Ambassadors.Web.Programme.ResultsService>();
builder.Services.AddSingleton<CampaignMembershipChanges>();
builder.Services.AddSingleton<IMembershipChanges>(sp => sp.GetRequiredService<CampaignMembershipChanges>());
builder.Services.AddSingleton<AmbassadorImport>();
builder.Services.AddSingleton(new PayoutOptions { ProgrammeName = builder.Configuration["Ambassadors:ProgrammeName"] ?? "Ambassadors" });
builder.Services.AddSingleton<IPayoutService, PayoutService>();
// Recruitment: the public form's rate limit, the decisions on applications, the optional SMTP sender of the outbox.
builder.Services.AddRecruitment();
// Missions: themed tasks, members' proof and its review (a bonus in the ledger once per accepted proof).
builder.Services.AddSingleton<MissionService>();
builder.Services.AddSingleton<ICampaignChanged>(sp => sp.GetRequiredService<CampaignMembershipChanges>());

// --- Staff sign-in and the /finance pages (begin) ---
// The Identity cookie for the pages (API policies keep naming the ApiKey scheme), Razor Pages, the export runner.
builder.Services.AddStaffSignIn();
// Razor Pages live with their feature (Payouts/Pages, Access/Pages, Http/Pages); each page names its own route.
builder.Services.AddRazorPages(options => options.RootDirectory = "/");
// English and Dutch: the person's choice (cookie), else the browser's Accept-Language (Http/Localization.cs).
builder.Services.AddAmbassadorsLocalization();
builder.Services.AddFinancePages();
// The ambassadors' portal: its pages need an ambassador's session.
builder.Services.AddPortal();
// --- Staff sign-in and the /finance pages (end) ---

// CSP (no framing, only our own files), nosniff, Referrer-Policy and HSTS over HTTPS on every response.
builder.Services.AddAmbassadorsSecurityHeaders();

// Behind a reverse proxy on the same machine (loopback), take the client's address and scheme from X-Forwarded-*.
builder.Services.Configure<ForwardedHeadersOptions>(options =>
    options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);

// Long request targets reach the app, which answers them with a problem (Kestrel's own 414 has no body).
builder.WebHost.ConfigureKestrel(options => options.Limits.MaxRequestLineSize = RequestTargets.ServerLimit);

var app = builder.Build();

app.UseForwardedHeaders();
app.UseExceptionHandler();
// GET /r/{code}, the hot path, answered here: it needs nothing of what follows (sign-in, culture, pages, routing), and
// sets the security headers' policy, worked out once, itself.
app.UseRedirects();
app.UseSecurityHeaders();
// Routing here, after the redirects: without this call WebApplication puts it first in the pipeline, where every redirect
// paid for matching its path against every endpoint (docs/decisions.md, "Redirect: routing after the redirects").
app.UseRouting();
app.UseStatusCodePages();
app.UseRequestTargetLimit();
// The pages' stylesheet and script (/assets) and /favicon.ico.
app.UseSiteAssets();
// --- Staff sign-in and the /finance pages (begin) ---
// Page paths get HTML error pages (403, 404, 400, 500) instead of problem details; /api is untouched.
app.UseStaffErrorPages();
app.MapFinancePages();
// --- Staff sign-in and the /finance pages (end) ---
app.UseAmbassadorsLocalization();
app.UseAuthentication();
app.UseAuthorization();
// Per-address limits (sign-in attempts).
app.UseRateLimiter();

app.MapOpenApi();
app.MapAmbassadorsHealth();
app.MapAccess();
app.MapCampaigns();
app.MapAmbassadors();
app.MapContent();
app.MapReferralCodes();
app.MapRedirect();
app.MapConversions();
app.MapPayouts();
app.MapRecruitment();
app.MapMissions();

app.Run();

public partial class Program;
