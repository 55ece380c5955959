using Ambassadors.Web.Http;

namespace Ambassadors.Web.Recruitment;

/// <summary>Recruitment's services: the decisions, the public form's rate limit and the optional SMTP sender.</summary>
public static class RecruitmentSetup
{
    /// <summary>The rate limiter policy of POST /apply/{campaignId}: so many forms a minute per client address.</summary>
    public const string ApplyRateLimit = "apply";

    public static IServiceCollection AddRecruitment(this IServiceCollection services)
    {
        services.AddSingleton<Decisions>();
        // The same limiter as sign-in (per client address, fixed window of a minute; Access sets the 429 and Retry-After).
        services.AddSingleton(provider => new ApplyLimits(
            Math.Max(1, provider.GetRequiredService<IConfiguration>().GetValue("Ambassadors:RateLimits:ApplyPerMinute", 20))));
        services.AddRateLimiter(options =>
            options.AddPostsPerAddressPolicy(ApplyRateLimit, provider => provider.GetRequiredService<ApplyLimits>().PerMinute));
        services.AddSingleton(provider => SmtpSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddHostedService<OutboxMailer>();
        return services;
    }
}

/// <summary>How many application forms a client address may post a minute: <c>Ambassadors:RateLimits:ApplyPerMinute</c> (20).</summary>
public sealed record ApplyLimits(int PerMinute);
