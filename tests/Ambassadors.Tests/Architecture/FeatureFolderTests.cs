using System.Text.RegularExpressions;

namespace Ambassadors.Tests.Architecture;

/// <summary>
/// The web host's feature folders (Campaigns, Tracking, Payouts, Http, …) may use each other only one way: a cycle
/// means two concepts that cannot be understood, changed or moved apart. An import is any mention of another folder's
/// namespace (a using directive, a qualified name, a Razor @using) in a .cs or .cshtml file of a folder.
/// </summary>
public sealed partial class FeatureFolderTests
{
    [GeneratedRegex(@"\bAmbassadors\.Web\.(\w+)")]
    private static partial Regex WebNamespace();

    public static Dictionary<string, SortedSet<string>> Imports(string webProject)
    {
        var graph = new Dictionary<string, SortedSet<string>>();
        foreach (var folder in Directory.GetDirectories(webProject).Select(Path.GetFileName).OfType<string>()
                     .Where(name => name is not ("bin" or "obj" or "Properties" or "wwwroot")))
        {
            var uses = graph[folder] = [];
            foreach (var file in Directory.EnumerateFiles(Path.Combine(webProject, folder), "*.*", SearchOption.AllDirectories)
                         .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)))
            {
                foreach (Match match in WebNamespace().Matches(File.ReadAllText(file)))
                {
                    if (match.Groups[1].Value != folder) uses.Add(match.Groups[1].Value);
                }
            }
        }
        return graph;
    }

    /// <summary>Every cycle, each once, as "A -> B -> A".</summary>
    public static List<string> Cycles(Dictionary<string, SortedSet<string>> graph)
    {
        var cycles = new SortedSet<string>();
        void Walk(List<string> path)
        {
            foreach (var next in graph.GetValueOrDefault(path[^1]) ?? [])
            {
                var at = path.IndexOf(next);
                if (at >= 0)
                {
                    var loop = path.Skip(at).ToList();
                    var start = loop.IndexOf(loop.Min(StringComparer.Ordinal)!);
                    var rotated = loop.Skip(start).Concat(loop.Take(start)).ToList();
                    cycles.Add(string.Join(" -> ", rotated.Append(rotated[0])));
                }
                else if (graph.ContainsKey(next))
                {
                    Walk([.. path, next]);
                }
            }
        }
        foreach (var folder in graph.Keys) Walk([folder]);
        return cycles.ToList();
    }

    private static string WebProject()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Ambassadors.sln"))) folder = folder.Parent;
        return Path.Combine(folder?.FullName ?? throw new InvalidOperationException("Ambassadors.sln not found above the test binaries."),
            "src", "Ambassadors.Web");
    }

    [Fact]
    public void FeatureFoldersOfTheWebHostImportEachOtherOneWayOnly()
    {
        var graph = Imports(WebProject());
        Assert.Contains("Campaigns", graph.Keys);
        Assert.Empty(Cycles(graph));
    }

    [Fact]
    public void TrackingImportsNoFeatureFolder()
    {
        var uses = Imports(WebProject())["Tracking"];
        Assert.True(uses.All(folder => folder is "Http" or "Hosting"), $"Tracking imports {string.Join(", ", uses)}");
    }

    [Fact]
    public void TheCycleFinderFindsACycle() =>
        Assert.Equal(["A -> B -> C -> A"], Cycles(new() { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] }));
}
