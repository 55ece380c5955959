using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

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

/// <summary>
/// The headers the site's policy gives a response, worked out once per scheme and host (HSTS, for one, is sent over HTTPS
/// and not to localhost) by running the policy's own middleware on a probe request. The redirect answers ahead of that
/// middleware and copies these instead: evaluating the policy on every response (its per-request dictionaries and
/// callbacks) cost the redirect about a tenth of its throughput (docs/decisions.md, "Redirect: many rows per INSERT, and
/// the security headers worked out once"). The same headers, so one policy still governs every response. Valid while the
/// policy has no per-request part (a CSP nonce): it has none.
/// </summary>
public sealed class PolicyHeaders(IServiceProvider services)
{
    /// <summary>Hosts remembered; the Host header is the client's to choose, so beyond this the set starts over.</summary>
    private const int HostsLimit = 64;

    private readonly ConcurrentDictionary<(bool Https, string Host), KeyValuePair<string, StringValues>[]> _byRequest = new();

    /// <summary>The policy's middleware alone, built once: a probe for a new host costs about what the middleware would.</summary>
    private readonly Lazy<RequestDelegate> _policy = new(() =>
    {
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseSecurityHeaders();
        pipeline.Run(_ => Task.CompletedTask);
        return pipeline.Build();
    });

    /// <summary>Sets the policy's headers on the response, as its middleware would have for this request.</summary>
    public void ApplyTo(HttpRequest request, HttpResponse response)
    {
        var key = (Https: request.IsHttps, Host: request.Host.Value ?? "");
        if (!_byRequest.TryGetValue(key, out var policy))
        {
            policy = Probe(key.Https, key.Host);
            if (_byRequest.Count >= HostsLimit) _byRequest.Clear();
            _byRequest[key] = policy;
        }
        var headers = response.Headers;
        foreach (var (name, value) in policy) headers[name] = value;
    }

    /// <summary>Runs the policy (<c>UseSecurityHeaders</c>, as configured in the services) on a GET of / with this scheme and host.</summary>
    private KeyValuePair<string, StringValues>[] Probe(bool https, string host)
    {
        var response = new ProbeResponse();
        var request = new HttpRequestFeature { Scheme = https ? "https" : "http", Method = HttpMethods.Get, Path = "/" };
        if (host.Length > 0) request.Headers.Host = host;
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        var context = new DefaultHttpContext(features) { RequestServices = services };
        // No I/O anywhere in the probe: both complete at once.
        _policy.Value(context).GetAwaiter().GetResult();
        response.StartAsync().GetAwaiter().GetResult();
        return [.. context.Response.Headers];
    }

    /// <summary>A response that runs its OnStarting callbacks when told to, as a server does when it starts sending.</summary>
    private sealed class ProbeResponse : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public async Task StartAsync()
        {
            // Last registered first, as Kestrel runs them.
            for (var i = _starting.Count - 1; i >= 0; i--) await _starting[i].Callback(_starting[i].State);
        }
    }
}
