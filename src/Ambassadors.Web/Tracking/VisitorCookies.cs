using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Ambassadors.Web.Tracking;

/// <summary>
/// First-party cookies set by the redirect:
/// <list type="bullet">
/// <item><c>amb_vid</c>: the visitor id (a browser without it is a new visitor), kept 400 days (browsers' limit).</item>
/// <item><c>amb_seen</c>: short hashes of the ambassadors, campaigns and content pieces this visitor has been
/// counted for, so that a visitor counts once as unique per entity, on the day first seen. It keeps the
/// latest <see cref="SeenLimit"/>; a visitor beyond that may count again for an entity seen long before.</item>
/// <item><c>amb_click</c>: the last click id, kept for the campaign's attribution window.</item>
/// </list>
/// All are SameSite=Lax, HttpOnly, and Secure when the request came over HTTPS.
/// </summary>
public static class VisitorCookies
{
    public const string VisitorCookie = "amb_vid";
    public const string SeenCookie = "amb_seen";
    public const string ClickCookie = "amb_click";
    public const int SeenLimit = 150;
    private static readonly TimeSpan VisitorLifetime = TimeSpan.FromDays(400);

    public static Visitor Read(HttpRequest request)
    {
        var id = request.Cookies[VisitorCookie];
        var known = VisitorIds.TryParse(id, out var number);
        var seen = known && request.Cookies[SeenCookie] is { } text
            ? text.Split('.', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Length == 8).TakeLast(SeenLimit).ToList()
            : [];
        if (known) return new Visitor(id!, number, false, seen);
        Span<byte> fresh = stackalloc byte[16];
        RandomBytes.Fill(fresh);
        return new Visitor(Convert.ToHexStringLower(fresh), System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(fresh), true, seen);
    }

    /// <summary>
    /// Sets the three cookies with one header write. The values are ours (hex, base-32 and dots: nothing to escape), and
    /// the header reads exactly as ASP.NET Core's <c>Cookies.Append</c> would write it; writing it here saves building
    /// three option objects and three header copies per redirect.
    /// </summary>
    public static void Write(HttpResponse response, Visitor visitor, string clickId, int attributionWindowDays, bool secure, bool counted)
    {
        var attributes = secure ? "; path=/; secure; samesite=lax; httponly" : "; path=/; samesite=lax; httponly";
        var visitorCookie = string.Concat(VisitorCookie + "=", visitor.Id, VisitorMaxAge, attributes);
        var clickCookie = string.Concat(ClickCookie + "=", clickId, MaxAge(attributionWindowDays), attributes);
        var cookies = counted && visitor.Changed
            ? new StringValues([visitorCookie, clickCookie, string.Concat(SeenCookie + "=", visitor.SeenValue(SeenLimit), VisitorMaxAge, attributes)])
            : new StringValues([visitorCookie, clickCookie]);
        response.Headers.SetCookie = StringValues.Concat(response.Headers.SetCookie, cookies);
    }

    private static readonly string VisitorMaxAge = "; max-age=" + (long)VisitorLifetime.TotalSeconds;
    private static readonly string[] WindowMaxAges = Enumerable.Range(0, 366).Select(days => "; max-age=" + days * 86_400L).ToArray();

    private static string MaxAge(int days) => days >= 0 && days < WindowMaxAges.Length ? WindowMaxAges[days] : "; max-age=" + days * 86_400L;
}

/// <summary>
/// The short hashes a visitor's <c>amb_seen</c> cookie keeps for a link's ambassador, campaign and content piece, worked out
/// once per link (<see cref="ReferralCodes.CachedLink"/>), not per click.
/// </summary>
public sealed record SeenTokens(string Ambassador, string Campaign, string? Content)
{
    public static SeenTokens Of(CodeTarget target) =>
        new(Token("a:" + target.AmbassadorId), Token("c:" + target.CampaignId), target.ContentId is { } content ? Token("k:" + content) : null);

    private static string Token(string entity) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entity)), 0, 4);
}

public sealed class Visitor(string id, UInt128 number, bool isNew, List<string> seen)
{
    /// <summary>A visitor of a known id (its text is parsed; see <see cref="VisitorIds"/>).</summary>
    public Visitor(string id, bool isNew, List<string> seen) : this(id, VisitorIds.Parse(id), isNew, seen)
    {
    }

    public string Id { get; } = id;
    /// <summary>The id's 128-bit value, as the collector keeps it.</summary>
    public UInt128 Number { get; } = number;
    public bool IsNew { get; } = isNew;
    public IReadOnlyList<string> Seen => seen;
    public bool Changed { get; private set; }

    /// <summary>The latest <paramref name="limit"/> tokens, as the <c>amb_seen</c> cookie keeps them.</summary>
    public string SeenValue(int limit)
    {
        var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(seen);
        return string.Join('.', all[Math.Max(0, all.Length - limit)..]);
    }

    /// <summary>Marks the click's ambassador, campaign and content piece as seen; true for each seen for the first time.</summary>
    public (bool Ambassador, bool Campaign, bool Content) MarkSeen(SeenTokens tokens) =>
        (Mark(tokens.Ambassador), Mark(tokens.Campaign), tokens.Content is { } content && Mark(content));

    private bool Mark(string token)
    {
        if (!IsNew && seen.Contains(token)) return false;
        seen.Remove(token);
        seen.Add(token);
        Changed = true;
        return true;
    }
}
