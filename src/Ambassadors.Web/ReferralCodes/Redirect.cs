using Ambassadors.Web.Http;
using Ambassadors.Web.Tracking;
using Ambassadors.Data;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Ambassadors.Web.ReferralCodes;

/// <summary>
/// GET/HEAD /r/{code}: answer 302 at once, hand the click to this silo's collector (through its inbox, an array of
/// structs, so no grain call is awaited). A warm code costs no
/// database round trip: resolutions are cached per node (30 s, so a changed destination applies within that).
/// The redirect is answered by <see cref="UseRedirects"/>, early in the pipeline: it needs no sign-in, culture, session,
/// static files, rate limit or routing, and skipping them was most of what it cost against bare Kestrel
/// (docs/decisions.md, "Redirect: the path"). It runs ahead of the security headers' middleware too, and sets the same
/// headers from <see cref="PolicyHeaders"/>, worked out once. The endpoint stays mapped for the OpenAPI document and answers the same.
/// </summary>
public static class Redirect
{
    public static IServiceCollection AddRedirect(this IServiceCollection services) =>
        services.AddSingleton<CodeCache>().AddSingleton<PastClicks>().AddSingleton<RedirectHandler>()
            .AddSingleton<PolicyHeaders>();

    /// <summary>Answers GET and HEAD of /r/{code} (one path segment) here; everything else goes on.</summary>
    public static IApplicationBuilder UseRedirects(this IApplicationBuilder app)
    {
        var handler = app.ApplicationServices.GetRequiredService<RedirectHandler>();
        return app.Use((http, next) => TryMatch(http.Request, out var code) ? handler.HandleAsync(http, code) : next(http));
    }

    internal static bool TryMatch(HttpRequest request, out string code)
    {
        code = "";
        var path = request.Path.Value;
        if (path is not { Length: > 3 } || path[0] != '/' || (path[1] | 0x20) != 'r' || path[2] != '/') return false;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var rest = path.AsSpan(3);
        if (rest.Contains('/')) return false;
        code = rest.ToString();
        return true;
    }

    public static IEndpointRouteBuilder MapRedirect(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/r/{code}", [HttpMethods.Get, HttpMethods.Head], (string code, HttpContext http, RedirectHandler handler) => handler.HandleAsync(http, code))
            .WithTags("Redirect")
            .AllowAnonymous()
            .WithName("FollowReferralLink")
            .WithSummary("Follow a tracked link")
            .WithDescription("302 to the link's destination with ref and click_id added to its query, and the utm_* parameters of the link's own query that the destination does not set itself; sets the first-party visitor and click cookies. Bots, link previews and HEAD are redirected but counted only as bot clicks. Unknown code: 404 page, nothing recorded.")
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status404NotFound, contentType: "text/html");
        return routes;
    }

    /// <summary>
    /// Hands one click to the silo's collector: the visitor is marked as seen for the click's ambassador, campaign and piece
    /// (a bot's click counts for none), so the collector counts it, its unique visitors and its raw row as it counts any.
    /// </summary>
    internal static async ValueTask CountAsync(ClickCollector collector, IGrainFactory grains, UInt128 clickId, CachedLink link, Visitor visitor,
        DateTimeOffset at, bool isBot, string? addressHash, string? userAgent)
    {
        var (newForAmbassador, newForCampaign, newForContent) = isBot ? (false, false, false) : visitor.MarkSeen(link.Tokens);
        collector.Add(clickId, link.Target, visitor.Number, at, ClickRecord.FlagsOf(isBot, newForAmbassador, newForCampaign, newForContent),
            addressHash, userAgent);
        // The first redirect a silo serves activates its collector grain (placed here: a stateless worker
        // is activated where it is called); it keeps itself alive, and is woken again should it stop.
        if (collector.ShouldWakeDriver()) await grains.GetGrain<IClickCollectorGrain>(0).FlushAsync();
    }

    /// <summary>The UTM parameters a link may pass to its destination (Google Analytics' five and utm_id).</summary>
    public static readonly string[] UtmKeys = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id"];

    private const int MaxUtmValue = 200;

    /// <summary>
    /// The UTM parameters of the /r request's own query, each once and re-encoded; nothing else passes (ref and click_id
    /// are ours to set), nor a value over 200 characters or with control characters. Null when there are none.
    /// </summary>
    public static List<KeyValuePair<string, string>>? LinkUtm(IQueryCollection query)
    {
        List<KeyValuePair<string, string>>? found = null;
        foreach (var key in UtmKeys)
        {
            if (!query.TryGetValue(key, out var values) || values.Count == 0 || values[0] is not { Length: > 0 and <= MaxUtmValue } value) continue;
            if (PlainText.HasControlCharacters(value)) continue;
            (found ??= []).Add(new(key, value));
        }
        return found;
    }

    /// <summary>
    /// The destination with ref and click_id added to its query (any it already had are replaced), before any fragment.
    /// The link's UTM parameters are added after the destination's own, and only those it lacks: a merchant's utm_* in the
    /// destination win over the link's (docs/decisions.md, "My links").
    /// </summary>
    public static string WithTracking(string destination, string code, string clickId, IReadOnlyList<KeyValuePair<string, string>>? linkUtm = null)
    {
        var hash = destination.IndexOf('#');
        var fragment = hash >= 0 ? destination[hash..] : "";
        var withoutFragment = hash >= 0 ? destination[..hash] : destination;
        var question = withoutFragment.IndexOf('?');
        var path = question >= 0 ? withoutFragment[..question] : withoutFragment;
        var query = question >= 0 ? withoutFragment[(question + 1)..] : "";
        var kept = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.Split('=')[0] is not ("ref" or "click_id"));
        if (linkUtm is not null)
        {
            var own = kept.Select(part => Uri.UnescapeDataString(part.Split('=')[0])).ToHashSet(StringComparer.OrdinalIgnoreCase);
            kept = kept.Concat(linkUtm.Where(p => !own.Contains(p.Key)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        }
        var parts = kept.Append($"ref={Uri.EscapeDataString(code)}").Append($"click_id={clickId}");
        return $"{path}?{string.Join('&', parts)}{fragment}";
    }
}

/// <summary>
/// The redirect itself (the early middleware and the mapped endpoint both call it): resolve, count, set the cookies, 302.
/// </summary>
public sealed class RedirectHandler(CodeCache cache, ClickCollector collector, IGrainFactory grains, TimeProvider clock, TrackingOptions options,
    PolicyHeaders securityHeaders)
{
    private readonly ConcurrentDictionary<IPAddress, string> _addressHashes = new();

    public async Task HandleAsync(HttpContext http, string code)
    {
        var link = await cache.ResolveAsync(code);
        var request = http.Request;
        var response = http.Response;
        securityHeaders.ApplyTo(request, response);
        if (link is null)
        {
            await UnknownLink(code).ExecuteAsync(http);
            return;
        }

        var now = clock.GetUtcNow();
        var userAgent = request.Headers.UserAgent.ToString();
        var isBot = HttpMethods.IsHead(request.Method) || BotDetector.IsBot(userAgent);
        var visitor = VisitorCookies.Read(request);
        var clickValue = ClickIds.NewValue(now);
        var clickId = ClickIds.Format(clickValue);
        // Off only to measure what recording costs (tools/Ambassadors.Bench); clicks are then not counted.
        if (options.RecordClicks)
        {
            await Redirect.CountAsync(collector, grains, clickValue, link, visitor, now, isBot, AddressHash(http.Connection.RemoteIpAddress),
                userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, 512)]);
        }
        else if (!isBot)
        {
            visitor.MarkSeen(link.Tokens);
        }

        VisitorCookies.Write(response, visitor, clickId, link.Code.AttributionWindowDays, request.IsHttps, counted: !isBot);
        // A link shared with utm_* in its own query (the portal's share links) passes them on; most clicks carry none.
        var linkUtm = request.QueryString.HasValue ? Redirect.LinkUtm(request.Query) : null;
        response.StatusCode = StatusCodes.Status302Found;
        var headers = response.Headers;
        headers.Location = link.Location(clickId, linkUtm);
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer-when-downgrade";
    }

    /// <summary>The address's hash for the raw click (never the address itself), remembered per address: one SHA-256 per address, not per click.</summary>
    private string? AddressHash(IPAddress? address)
    {
        if (address is null) return null;
        if (_addressHashes.TryGetValue(address, out var hash)) return hash;
        hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(address.ToString())))[..32];
        if (_addressHashes.Count >= 50_000) _addressHashes.Clear();
        _addressHashes[address] = hash;
        return hash;
    }

    private static IResult UnknownLink(string code) => Results.Content(
        $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Link not found</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style></head>
        <body><h1>This link does not lead anywhere</h1>
        <p>No referral link <strong>{{WebUtility.HtmlEncode(code)}}</strong> exists. Check that it was copied completely, or ask the person who shared it for a new one.</p>
        </body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
}

/// <summary>
/// A resolved code as the redirect uses it, with what can be worked out once per code instead of once per click: the
/// visitor-cookie tokens of its ambassador, campaign and piece, and the destination with its tracking up to the click id.
/// </summary>
public sealed class CachedLink
{
    private const char ClickIdMark = '\u0001';
    private readonly string? _locationUpToClickId;

    public CachedLink(ResolvedCode code)
    {
        Code = code;
        Tokens = SeenTokens.Of(code.Target);
        var sample = Redirect.WithTracking(code.Destination, code.Target.Code, ClickIdMark.ToString());
        _locationUpToClickId = sample.IndexOf(ClickIdMark) == sample.Length - 1 ? sample[..^1] : null;
    }

    public ResolvedCode Code { get; }

    public CodeTarget Target => Code.Target;

    public SeenTokens Tokens { get; }

    /// <summary>Exactly <see cref="Redirect.WithTracking"/>'s answer; without link UTM and a fragment, one concatenation.</summary>
    public string Location(string clickId, IReadOnlyList<KeyValuePair<string, string>>? linkUtm) =>
        linkUtm is null && _locationUpToClickId is not null
            ? _locationUpToClickId + clickId
            : Redirect.WithTracking(Code.Destination, Target.Code, clickId, linkUtm);
}

/// <summary>
/// Per-node cache of code resolutions, so a warm code needs neither a database read nor (within 30 s) a grain call.
/// Unknown codes are remembered for 5 s so a flood of made-up codes cannot reach the database.
/// </summary>
public sealed class CodeCache(IGrainFactory grains)
{
    private static readonly long KnownTtl = 30_000, UnknownTtl = 5_000;
    private readonly ConcurrentDictionary<string, (CachedLink? Value, long Expires)> _entries = new(StringComparer.Ordinal);

    /// <summary>The link of a code as typed (null when it is malformed or nobody holds it).</summary>
    public async ValueTask<CachedLink?> ResolveAsync(string code)
    {
        if (ReferralCodeFormat.Problem(code) is not null) return null;
        var normalizedCode = ReferralCodeFormat.Normalize(code);
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(normalizedCode, out var entry) && entry.Expires > now) return entry.Value;
        var resolved = await grains.GetGrain<IReferralCodeGrain>(ReferralCodeGrain.KeyOf(normalizedCode)).ResolveAsync();
        var link = resolved is null ? null : new CachedLink(resolved);
        if (_entries.Count > 200_000) _entries.Clear();
        _entries[normalizedCode] = (link, now + (resolved is null ? UnknownTtl : KnownTtl));
        return link;
    }
}

/// <summary>One click of the past: on which link, when, by which browser (its cookies), with which user agent and address hash.</summary>
public sealed record PastClick(string Code, DateTimeOffset At, Visitor Visitor, string? UserAgent = null, string? AddressHash = null);

/// <summary>
/// Clicks that happened before now, recorded exactly as <c>/r/{code}</c> records a click (the same resolution, visitor marks,
/// collector, day buckets, raw row and click id carrying the click's time), for loaders that replay past traffic:
/// <c>ambassadors demo</c>. Not an HTTP route.
/// </summary>
public sealed class PastClicks(CodeCache cache, ClickCollector collector, IGrainFactory grains)
{
    /// <summary>
    /// Records the clicks in their order (a visitor's later click sees what the earlier ones marked, as its cookies would).
    /// The links are resolved first, several at a time, as many browsers at once would. Returns each click's id, or null
    /// for an unknown code.
    /// </summary>
    public async Task<IReadOnlyList<string?>> RecordAsync(IReadOnlyList<PastClick> clicks, CancellationToken cancellationToken = default)
    {
        var resolved = new ConcurrentDictionary<string, CachedLink?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(clicks.Select(c => c.Code).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (code, _) => resolved[code] = await cache.ResolveAsync(code));
        var ids = new string?[clicks.Count];
        for (var i = 0; i < clicks.Count; i++)
        {
            var click = clicks[i];
            if (resolved[click.Code] is not { } code) continue;
            var clickId = ClickIds.NewValue(click.At);
            ids[i] = ClickIds.Format(clickId);
            await Redirect.CountAsync(collector, grains, clickId, code, click.Visitor, click.At, BotDetector.IsBot(click.UserAgent ?? ""),
                click.AddressHash, click.UserAgent);
        }
        return ids;
    }

    /// <summary>Writes what the collector holds now (the counters and the raw clicks), as its timer does every second.</summary>
    public Task FlushAsync() => collector.FlushAsync();
}
