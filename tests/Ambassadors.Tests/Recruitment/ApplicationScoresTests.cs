using Ambassadors.Data;

namespace Ambassadors.Tests.Recruitment;

/// <summary>The score's formula, part by part, on hand-computed examples (docs/decisions.md, "Recruitment: the score").</summary>
public sealed class ApplicationScoresTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(9, 0.142857)] // log10(10) / log10(10,000,001) = 1 / 7.0000000434
    [InlineData(999, 0.428571)] // 3 / 7
    [InlineData(99_999, 0.714286)] // 5 / 7
    [InlineData(10_000_000, 1)]
    [InlineData(500_000_000, 1)]
    public void ReachIsFollowersOnALogScaleCappedAtTenMillion(long followers, double expected) =>
        Assert.Equal(expected, ApplicationScores.Reach(followers), 5);

    [Fact]
    public void EngagementIsTheFollowerWeightedRateOverTenPercentAndZeroWhenNoneIsGiven()
    {
        Assert.Equal(0, ApplicationScores.Engagement([Profile(1000, null)]));
        Assert.Equal(0, ApplicationScores.Engagement([]));
        // (2 % x 1,000 + 8 % x 3,000) / 4,000 = 6.5 %; the profile without a rate is left out.
        Assert.Equal(0.65, ApplicationScores.Engagement([Profile(1000, 2m), Profile(3000, 8m), Profile(50_000, null)]), 6);
        Assert.Equal(1, ApplicationScores.Engagement([Profile(100, 25m)]));
        // Profiles that state a rate but no followers: a plain average.
        Assert.Equal(0.3, ApplicationScores.Engagement([Profile(0, 2m), Profile(0, 4m)]), 6);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(0, 0)]
    [InlineData(3, 0.6)]
    [InlineData(5, 1)]
    public void MotivationIsTheRatingOverFiveAndUnratedCountsZero(int? rating, double expected) =>
        Assert.Equal(expected, ApplicationScores.Motivation(rating), 6);

    [Fact]
    public void CountryFitIsOneWithoutTargetsOrInsideThem()
    {
        Assert.Equal(1, ApplicationScores.CountryFit("NL", []));
        Assert.Equal(1, ApplicationScores.CountryFit("NL", ["BE", "NL"]));
        Assert.Equal(0, ApplicationScores.CountryFit("DE", ["BE", "NL"]));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(9, 0.333286)] // 1 / log10(1001) = 1 / 3.000434
    [InlineData(1000, 1)]
    [InlineData(5000, 1)]
    public void PastResultsAreLeadsAndSalesOnALogScaleCappedAtAThousand(long results, double expected) =>
        Assert.Equal(expected, ApplicationScores.PastResults(results), 5);

    [Fact]
    public void TheScoreIsTheSumOfWeightTimesPart()
    {
        var parts = ApplicationScores.Parts([Profile(999, 5m)], 4, "NL", ["NL"], 9);
        var weights = new ScoringWeights { Reach = 2, Engagement = 1, Motivation = 0.5m, CountryFit = 0, PastResults = 3 };
        // 2 x 3/7 + 1 x 0.5 + 0.5 x 0.8 + 0 x 1 + 3 x 0.333286 = 0.857143 + 0.5 + 0.4 + 0 + 0.999857 = 2.757000
        Assert.Equal(2.757, ApplicationScores.Score(parts, weights), 4);
        Assert.Equal(0, ApplicationScores.Score(parts, new ScoringWeights { Reach = 0, Engagement = 0, Motivation = 0, CountryFit = 0, PastResults = 0 }));
        Assert.Equal(["reach", "engagement", "motivation", "countryFit", "pastResults"], parts.Named.Select(p => p.Name));
    }

    private static ApplicantProfile Profile(long followers, decimal? rate) =>
        new() { Network = "instagram", Handle = "@x", Followers = followers, EngagementRate = rate };
}

/// <summary>Country names follow the page's language, whatever was asked before (the form's country list).</summary>
public sealed class CountryNamesTests
{
    [Fact]
    public void EveryCodeHasAnEnglishAndADutchNameAndTheLanguageDecidesWhichIsShown()
    {
        Assert.Equal(Countries.EnglishNames.Keys.Order(), Countries.DutchNames.Keys.Order());
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            foreach (var (language, germany, netherlands) in new[] { ("nl", "Duitsland", "Nederland"), ("en", "Germany", "Netherlands"), ("nl", "Duitsland", "Nederland") })
            {
                System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(language);
                Assert.Equal(germany, Countries.Name("DE"));
                Assert.Equal(netherlands, Countries.Name("NL"));
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }
}

/// <summary>Every text of the recruitment pages exists in English and in Dutch, and every key a page asks for exists.</summary>
public sealed class RecruitmentTextsTests
{
    private static string PagesFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Ambassadors.sln"))) folder = folder.Parent;
        return Path.Combine(folder!.FullName, "src", "Ambassadors.Web", "Recruitment", "Pages");
    }

    private static SortedSet<string> Keys(string file) =>
        new(System.Xml.Linq.XDocument.Load(Path.Combine(PagesFolder(), file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!), StringComparer.Ordinal);

    [Fact]
    public void EnglishAndDutchHaveTheSameKeysAndThePagesUseOnlyThose()
    {
        var english = Keys("RecruitmentTexts.resx");
        var dutch = Keys("RecruitmentTexts.nl.resx");
        Assert.Equal(english, dutch);
        var used = Directory.EnumerateFiles(PagesFolder(), "*.cs*")
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "T\\[\"([A-Za-z.]+)\"").Select(m => m.Groups[1].Value))
            .ToHashSet();
        // A key built from a prefix ("Status." + status) needs some key with that prefix; a whole key, itself.
        var missing = used.Where(key => key.EndsWith('.') ? !english.Any(k => k.StartsWith(key, StringComparison.Ordinal)) : !english.Contains(key)).ToList();
        Assert.True(missing.Count == 0, $"Keys the pages use but the texts lack: {string.Join(", ", missing)}");
    }
}
