using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.WebEncoders;

namespace Ambassadors.Web.Http;

/// <summary>
/// The pages speak English and Dutch. The person's choice (the language switch, remembered in a cookie) wins; the
/// browser's Accept-Language is the default; English when neither says. Texts live in resource files beside their
/// pages: a marker class <c>XxxTexts</c> with <c>XxxTexts.resx</c> (English) and <c>XxxTexts.nl.resx</c> (Dutch),
/// read through <c>IStringLocalizer&lt;XxxTexts&gt;</c>; words every page shares are in <see cref="Pages.SharedTexts"/>.
/// </summary>
public static class Localization
{
    public static readonly IReadOnlyList<CultureInfo> Cultures = [CultureInfo.GetCultureInfo("en"), CultureInfo.GetCultureInfo("nl")];

    /// <summary>The cookie that remembers the person's choice (ASP.NET Core's own format: <c>c=nl|uic=nl</c>).</summary>
    public static string CookieName => CookieRequestCultureProvider.DefaultCookieName;

    /// <summary>The language a person chose, when it is one of ours ("en", "nl"); null otherwise.</summary>
    public static CultureInfo? Find(string? name) =>
        Cultures.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Remembers the choice for a year in the culture cookie (the switch, an ambassador's profile and their sign-in all
    /// set it the same way); signing out leaves it alone.
    /// </summary>
    public static void Remember(HttpResponse response, CultureInfo culture, DateTimeOffset now) =>
        response.Cookies.Append(CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions
            {
                Expires = now.AddYears(1),
                MaxAge = TimeSpan.FromDays(365),
                Path = "/",
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = response.HttpContext.Request.IsHttps,
                IsEssential = true,
            });

    public static IServiceCollection AddAmbassadorsLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // Dutch letters (ë, é) go into the pages as they are, not as &#xEB;: only the characters HTML needs are encoded.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = Cultures.ToList();
            options.SupportedUICultures = Cultures.ToList();
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>
    /// Pages only: the API, the redirect, health and OpenAPI keep the invariant culture whatever the client's
    /// Accept-Language, so no number or date in a machine's answer changes with it.
    /// </summary>
    public static IApplicationBuilder UseAmbassadorsLocalization(this IApplicationBuilder app) =>
        app.UseWhen(context => IsPage(context.Request.Path), pages => pages.UseRequestLocalization());

    private static bool IsPage(PathString path) =>
        !(path.StartsWithSegments("/api") || path.StartsWithSegments("/r") || path.StartsWithSegments("/health")
          || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/assets"));
}
