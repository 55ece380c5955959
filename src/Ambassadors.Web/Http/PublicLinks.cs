namespace Ambassadors.Web.Http;

/// <summary>
/// Absolute tracked links. The base is `Ambassadors:PublicBaseUrl` when set (behind a proxy, say),
/// otherwise the scheme and host of the request being answered.
/// </summary>
public sealed class PublicLinks(IConfiguration configuration, IHttpContextAccessor http)
{
    public string For(string code) => Absolute($"/r/{Uri.EscapeDataString(code)}");

    /// <summary>An absolute URL of a path on this site (an invitation's <c>/portal/onboarding/{token}</c>).</summary>
    public string Absolute(string path)
    {
        var configured = configuration["Ambassadors:PublicBaseUrl"];
        var request = http.HttpContext?.Request;
        var baseUrl = !string.IsNullOrWhiteSpace(configured)
            ? configured.TrimEnd('/')
            : request is null ? "http://localhost:5000" : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return baseUrl + path;
    }
}
