using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ambassadors.Data;

namespace Ambassadors.Tests.Campaigns;

/// <summary>The campaign pages' words: every key in English and Dutch, and every key the pages ask for in both.</summary>
public sealed partial class CampaignTextsTests
{
    private static readonly string Folder = Path.Combine(SourceRoot(), "src", "Ambassadors.Web", "Campaigns", "Pages");

    [Fact]
    public void EnglishAndDutchHaveTheSameKeysAndNoneIsEmpty()
    {
        var english = Texts("CampaignTexts.resx");
        var dutch = Texts("CampaignTexts.nl.resx");
        Assert.Empty(english.Keys.Except(dutch.Keys));
        Assert.Empty(dutch.Keys.Except(english.Keys));
        Assert.DoesNotContain(english.Concat(dutch), t => string.IsNullOrWhiteSpace(t.Value));
        // The placeholders of a text are the same in both languages ("{0} of {1} {2}").
        foreach (var (key, text) in english)
        {
            Assert.True(Placeholders(text).SetEquals(Placeholders(dutch[key])), $"{key}: '{text}' and '{dutch[key]}' take different arguments.");
        }
    }

    [Fact]
    public void EveryKeyThePagesAskForExists()
    {
        var keys = Texts("CampaignTexts.resx").Keys.ToHashSet();
        var asked = Directory.EnumerateFiles(Folder).Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(k => !k.EndsWith('.'))
            .ToHashSet();
        Assert.NotEmpty(asked);
        Assert.Empty(asked.Except(keys));
        // Keys made from a name: every status, objective and KPI metric, and each form field's error.
        var named = EnumNames.Names<CampaignStatus>().SelectMany(s => new[] { $"Status.{s}", $"Status.{s}.Hint" })
            .Concat(EnumNames.Names<CampaignObjective>().SelectMany(o => new[] { $"Objective.{o}", $"Objective.{o}.Hint" }))
            .Concat(CampaignKpis.Metrics.Select(m => $"Metric.{m}"))
            .Concat(new[] { "clicks", "uniqueVisitors", "leads", "sales" }.Select(s => $"Total.{s}"))
            .Concat(new[]
            {
                "name", "objective", "status", "destinationUrl", "currency", "startsOn", "endsOn", "capacity", "attributionWindowDays",
                "holdingPeriodDays", "rewards.perLead", "rewards.perSale", "rewards.salePercent", "rewards.secondDegreePercent", "kpi.metric",
                "kpi.target", "description", "terms", "targetCountries", "scoring.reach", "scoring.engagement", "scoring.motivation",
                "scoring.countryFit", "scoring.pastResults",
            }.Select(f => $"Error.{f}"));
        Assert.Empty(named.Except(keys));
    }

    private static Dictionary<string, string> Texts(string file) =>
        XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")?.Value ?? "");

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet();

    private static string SourceRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Ambassadors.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("Ambassadors.sln not found above the test binaries.");
    }

    [GeneratedRegex("\\b(?:T|texts|Texts|t)\\[\"([A-Za-z.]+)\"")]
    private static partial Regex LiteralKey();

    [GeneratedRegex("\\{[0-9]+\\}")]
    private static partial Regex Placeholder();
}
