namespace Ambassadors.Web.Http;

/// <summary>
/// One set of security headers on every response, pages and /api alike (NetEscapades.AspNetCore.SecurityHeaders):
/// no framing, no MIME sniffing, a Referrer-Policy, HSTS over HTTPS only, and a CSP that allows only this site's own
/// files: the pages have no inline script, style or event handler (see <see cref="SiteAssets"/>).
/// </summary>
public static class SecurityHeaders
{
    public static IServiceCollection AddAmbassadorsSecurityHeaders(this IServiceCollection services)
    {
        // The defaults: X-Frame-Options DENY, X-Content-Type-Options nosniff, Referrer-Policy strict-origin-when-cross-origin,
        // Strict-Transport-Security (one year, HTTPS responses only), Cross-Origin-Opener-Policy, no Server header.
        services.AddSecurityHeaderPolicies().SetDefaultPolicy(policy => policy
            .AddDefaultSecurityHeaders()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            }));
        return services;
    }
}
