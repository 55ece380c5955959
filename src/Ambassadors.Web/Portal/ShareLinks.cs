using System.Text;

namespace Ambassadors.Web.Portal;

/// <summary>
/// Where an ambassador shares a link, and the link each place gets: the tracked link with <c>utm_source={network}</c> and
/// <c>utm_medium=ambassador</c>, which the redirect passes on to the destination (docs/decisions.md, "My links"), so the
/// brand's analytics and our clicks tell the networks apart. "qr" is the printed or shown QR code.
/// </summary>
public static class ShareLinks
{
    public const string Medium = "ambassador";

    /// <summary>Networks with a share address of their own, in the order the page offers them.</summary>
    public static readonly string[] WithShareUrl = ["whatsapp", "x", "facebook", "linkedin", "email"];

    /// <summary>Networks without a share address (no web intent): the ambassador copies a text and pastes it there.</summary>
    public static readonly string[] CopyOnly = ["instagram", "tiktok"];

    public const string Qr = "qr";

    public static bool IsKnown(string? network) =>
        network is not null && (network == Qr || WithShareUrl.Contains(network) || CopyOnly.Contains(network));

    /// <summary>The tracked link as shared on a network; the link itself when <paramref name="network"/> is null.</summary>
    public static string Tagged(string link, string? network) =>
        network is null ? link : $"{link}?utm_source={network}&utm_medium={Medium}";

    /// <summary>
    /// The network's share address for a text that already holds the link; null for networks without one. Facebook and
    /// LinkedIn take only the address (they read the page's own title and picture); the others take the whole text.
    /// </summary>
    public static string? ShareUrl(string network, string text, string link, string subject) => network switch
    {
        "whatsapp" => $"https://wa.me/?text={Uri.EscapeDataString(text)}",
        "x" => $"https://x.com/intent/tweet?text={Uri.EscapeDataString(text)}",
        "facebook" => $"https://www.facebook.com/sharer/sharer.php?u={Uri.EscapeDataString(link)}",
        "linkedin" => $"https://www.linkedin.com/sharing/share-offsite/?url={Uri.EscapeDataString(link)}",
        // RFC 6068: every reserved character percent-encoded, spaces as %20 (not +), line breaks as %0D%0A.
        "email" => $"mailto:?subject={Uri.EscapeDataString(subject)}&body={Uri.EscapeDataString(text)}",
        _ => null,
    };

    /// <summary>A file name people can read: "fiesta-movement-spring-video-K7M2QPX-qr.png" (ASCII letters and digits only).</summary>
    public static string FileName(string campaign, string? piece, string code, string? network, string extension)
    {
        var name = new StringBuilder();
        foreach (var part in new[] { campaign, piece, code, network ?? "link" })
        {
            if (string.IsNullOrWhiteSpace(part)) continue;
            var slug = Slug(part);
            if (slug.Length == 0) continue;
            if (name.Length > 0) name.Append('-');
            name.Append(slug);
        }
        return $"{name}.{extension}";
    }

    private static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(char.ToLowerInvariant(c));
            else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark) continue; // é -> e
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
            if (slug.Length >= 40) break;
        }
        return slug.ToString().Trim('-');
    }
}
