using Ambassadors.Web.Tracking;

namespace Ambassadors.Tests.Tracking;

public class BotDetectorTests
{
    [Theory]
    // Chat and social link-preview fetchers
    [InlineData("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")]
    [InlineData("Slackbot 1.0 (+https://api.slack.com/robots)")]
    [InlineData("Slack-ImgProxy (+https://api.slack.com/robots)")]
    [InlineData("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [InlineData("facebookexternalhit/1.1")]
    [InlineData("Facebot")]
    [InlineData("meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)")]
    [InlineData("Twitterbot/1.0")]
    [InlineData("WhatsApp/2.23.20.0 A")]
    [InlineData("WhatsApp/2.2337.7 W")]
    [InlineData("TelegramBot (like TwitterBot)")]
    [InlineData("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)")]
    [InlineData("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)")]
    [InlineData("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com")]
    [InlineData("Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)")]
    [InlineData("Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)")]
    [InlineData("Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)")]
    [InlineData("Iframely/1.3.1 (+https://iframely.com/docs/about)")]
    [InlineData("Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)")]
    [InlineData("http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/) Bot")]
    [InlineData("http.rb/5.1.1 (Mastodon/4.2.1)")]
    [InlineData("Mozilla/5.0 (compatible; Snap URL Preview Service; bot; snapchat; https://developers.snap.com/robots)")]
    [InlineData("facebookexternalhit/1.1;line-poker/1.0")]
    [InlineData("Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 MicrosoftPreview/2.0 +https://aka.ms/MicrosoftPreview")]
    // Search engines and crawlers
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; Google-InspectionTool/1.0;)")]
    [InlineData("AdsBot-Google (+http://www.google.com/adsbot.html)")]
    [InlineData("Mediapartners-Google")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.74 Safari/537.36 Edg/79.0.309.43 BingPreview/1.0b")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)")]
    [InlineData("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)")]
    [InlineData("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")]
    [InlineData("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")]
    [InlineData("Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)")]
    [InlineData("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)")]
    [InlineData("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)")]
    [InlineData("Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ClaudeBot/1.0; +claudebot@anthropic.com")]
    [InlineData("CCBot/2.0 (https://commoncrawl.org/faq/)")]
    [InlineData("Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)")]
    [InlineData("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)")]
    [InlineData("Some new crawler (contact: ops@example.com)")]
    // Command-line tools and HTTP libraries
    [InlineData("curl/8.4.0")]
    [InlineData("Wget/1.21.4")]
    [InlineData("python-requests/2.31.0")]
    [InlineData("Python-urllib/3.11")]
    [InlineData("Python/3.11 aiohttp/3.9.1")]
    [InlineData("python-httpx/0.25.2")]
    [InlineData("Scrapy/2.11.0 (+https://scrapy.org)")]
    [InlineData("Go-http-client/1.1")]
    [InlineData("Go-http-client/2.0")]
    [InlineData("okhttp/4.12.0")]
    [InlineData("Java/17.0.9")]
    [InlineData("Apache-HttpClient/4.5.14 (Java/17.0.9)")]
    [InlineData("libwww-perl/6.72")]
    [InlineData("HTTPie/3.2.2")]
    [InlineData("axios/1.6.2")]
    [InlineData("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)")]
    [InlineData("node-fetch")]
    [InlineData("undici")]
    [InlineData("got (https://github.com/sindresorhus/got)")]
    [InlineData("PostmanRuntime/7.36.0")]
    [InlineData("insomnia/2023.5.8")]
    [InlineData("GuzzleHttp/7")]
    [InlineData("Dart/3.2 (dart:io)")]
    [InlineData("Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3803")]
    // Headless and automated browsers
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Puppeteer")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Playwright/1.40.0")]
    [InlineData("selenium/4.16.0 (java windows)")]
    [InlineData("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse")]
    // Case does not matter
    [InlineData("CURL/7.88.1")]
    [InlineData("mozilla/5.0 (compatible; googlebot/2.1; +http://www.google.com/bot.html)")]
    public void BotsAreBots(string userAgent) => Assert.True(BotDetector.IsBot(userAgent), userAgent);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t \r\n")]
    public void AMissingUserAgentIsABot(string? userAgent) => Assert.True(BotDetector.IsBot(userAgent));

    [Theory]
    // Desktop Chrome on Windows, macOS, Linux
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")]
    // Firefox
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0")]
    [InlineData("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")]
    [InlineData("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0")]
    // Safari on macOS and iOS
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1")]
    // Chrome on Android and iOS
    [InlineData("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1")]
    // Samsung Internet, Edge, Opera
    [InlineData("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/114.0.0.0")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36 OPR/85.0.0.0")]
    // Cubot phones: "bot" inside the model name
    [InlineData("Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Linux; Android 11; KINGKONG 5 Pro Build/RP1A.200720.011; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Linux; Android 9; CUBOT P30 Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.5845.163 Mobile Safari/537.36")]
    // Instagram in-app browser (iOS, Android)
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 300.0.0.0 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 515063356)")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; SM-G991B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Instagram 312.1.0.34.111 Android (33/13; 420dpi; 1080x2400; samsung; SM-G991B; o1s; exynos2100; en_US; 548323754)")]
    // Facebook and Messenger in-app browsers (iOS, Android)
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.0;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/460.0.0.48.109;]")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/MessengerForiOS;FBAV/453.0.0.37.107;FBBV/560000000;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/0]")]
    // TikTok in-app browser (Android, iOS)
    [InlineData("Mozilla/5.0 (Linux; Android 12; SM-A525F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 trill_290103 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/trill app_version/29.1.3 ByteLocale/en ByteFullLocale/en Region/US AppId/1180 Spark/1.3.3.1-bugfix AppVersion/29.1.3 BytedanceWebview/d8a21c6")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_32.5.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US isDarkMode/0 WKWebView/1 RevealType/Dialog BytedanceWebview/d8a21c6")]
    // Other in-app browsers whose apps also run preview fetchers under different names
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.38.0.38 (like Safari/8615.2.9.10.4, panda)")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/13.21.0")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6521")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 YaBrowser/23.11.3.36.00 SA/3 Mobile Safari/537.36")]
    public void BrowsersAreNotBots(string userAgent) => Assert.False(BotDetector.IsBot(userAgent), userAgent);

    [Fact]
    public void TheSignatureListIsLongAndHasNoDuplicates()
    {
        Assert.True(BotDetector.Signatures.Count >= 40, $"Only {BotDetector.Signatures.Count} signatures");
        var duplicates = BotDetector.Signatures
            .GroupBy(s => s, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        Assert.Empty(duplicates);
        Assert.All(BotDetector.Signatures, s => Assert.False(string.IsNullOrWhiteSpace(s)));
    }

    [Fact]
    public void NoSignatureIsTheBareWordBot()
    {
        // "bot" alone would match phone models such as Cubot's.
        Assert.DoesNotContain(BotDetector.Signatures, s => s.Equals("bot", StringComparison.OrdinalIgnoreCase));
    }
}
