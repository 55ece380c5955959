using System.Security.Cryptography;
using System.Text;

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
        var known = id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
        var seen = known && request.Cookies[SeenCookie] is { } text
            ? text.Split('.', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Length == 8).TakeLast(SeenLimit).ToList()
            : [];
        if (known) return new Visitor(id!, false, seen);
        Span<byte> fresh = stackalloc byte[16];
        RandomBytes.Fill(fresh);
        return new Visitor(Convert.ToHexStringLower(fresh), true, seen);
    }

    public static void Write(HttpResponse response, Visitor visitor, string clickId, int attributionWindowDays, bool secure, bool counted)
    {
        CookieOptions Options(TimeSpan lifetime) => new()
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = secure,
            IsEssential = true,
            Path = "/",
            MaxAge = lifetime,
        };
        response.Cookies.Append(VisitorCookie, visitor.Id, Options(VisitorLifetime));
        response.Cookies.Append(ClickCookie, clickId, Options(TimeSpan.FromDays(attributionWindowDays)));
        if (counted && visitor.Changed) response.Cookies.Append(SeenCookie, string.Join('.', visitor.Seen.TakeLast(SeenLimit)), Options(VisitorLifetime));
    }
}

public sealed class Visitor(string id, bool isNew, List<string> seen)
{
    public string Id { get; } = id;
    public bool IsNew { get; } = isNew;
    public IReadOnlyList<string> Seen => seen;
    public bool Changed { get; private set; }

    /// <summary>Marks the click's ambassador, campaign and content piece as seen; true for each seen for the first time.</summary>
    public (bool Ambassador, bool Campaign, bool Content) MarkSeen(CodeTarget target) =>
        (Mark("a:" + target.AmbassadorId), Mark("c:" + target.CampaignId), target.ContentId is { } content && Mark("k:" + content));

    private bool Mark(string entity)
    {
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entity)), 0, 4);
        if (!IsNew && seen.Contains(token)) return false;
        seen.Remove(token);
        seen.Add(token);
        Changed = true;
        return true;
    }
}
