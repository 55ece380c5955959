using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ambassadors.Tests.Architecture;

/// <summary>
/// Every page speaks English and Dutch (issue 12): each X.resx under src/ has an X.nl.resx with exactly the same keys,
/// no empty value and the same {0} placeholders; and no .cshtml writes visible words itself. Both scan the sources, so
/// a page or resource file added later is checked too; a failure names the file, the line and the text.
/// </summary>
public sealed partial class PageTextsTests
{
    /// <summary>Words that are the same in every language: names of brands and standards.</summary>
    private static readonly HashSet<string> AllowedWords = new(StringComparer.Ordinal)
    {
        "Ambassadors", "IBAN", "BIC", "PayPal", "UTC", "EUR", "OpenAPI", "API", "CSV", "XLSX",
    };

    private static string Repository()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Ambassadors.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("Ambassadors.sln not found above the test binaries.");
    }

    private static string Source => Path.Combine(Repository(), "src");

    private static string Relative(string path) => Path.GetRelativePath(Repository(), path);

    private static IEnumerable<string> SourceFiles(string pattern) =>
        Directory.EnumerateFiles(Source, pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    // --- English and Dutch resources ---

    private static Dictionary<string, string> Entries(string resx) =>
        XDocument.Load(resx).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    private static string Placeholders(string text) =>
        string.Join(",", Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal));

    /// <summary>What is wrong between an English and a Dutch resource file, one line per problem.</summary>
    public static List<string> ParityProblems(string englishFile, string dutchFile)
    {
        var problems = new List<string>();
        var english = Entries(englishFile);
        var dutch = Entries(dutchFile);
        foreach (var key in english.Keys.Except(dutch.Keys).Order(StringComparer.Ordinal))
            problems.Add($"{Relative(dutchFile)}: no '{key}' (English: \"{english[key]}\")");
        foreach (var key in dutch.Keys.Except(english.Keys).Order(StringComparer.Ordinal))
            problems.Add($"{Relative(englishFile)}: no '{key}' (Dutch: \"{dutch[key]}\")");
        foreach (var (file, entries) in new[] { (englishFile, english), (dutchFile, dutch) })
        {
            foreach (var (key, value) in entries.Where(e => string.IsNullOrWhiteSpace(e.Value)))
                problems.Add($"{Relative(file)}: '{key}' is empty");
        }
        foreach (var key in english.Keys.Intersect(dutch.Keys).Order(StringComparer.Ordinal))
        {
            if (Placeholders(english[key]) != Placeholders(dutch[key]))
                problems.Add($"{Relative(dutchFile)}: '{key}' has placeholders {{{Placeholders(dutch[key])}}}, English has {{{Placeholders(english[key])}}}");
        }
        return problems;
    }

    [Fact]
    public void EveryResourceHasADutchTwinWithTheSameKeysPlaceholdersAndNoEmptyValue()
    {
        var problems = new List<string>();
        var english = SourceFiles("*.resx").Where(f => !f.EndsWith(".nl.resx", StringComparison.Ordinal)).ToList();
        Assert.Contains(english, f => f.EndsWith("SharedTexts.resx", StringComparison.Ordinal));
        foreach (var file in english)
        {
            var dutch = file[..^".resx".Length] + ".nl.resx";
            if (!File.Exists(dutch)) problems.Add($"{Relative(file)}: no Dutch twin {Path.GetFileName(dutch)}");
            else problems.AddRange(ParityProblems(file, dutch));
        }
        foreach (var dutch in SourceFiles("*.nl.resx"))
        {
            if (!File.Exists(dutch[..^".nl.resx".Length] + ".resx")) problems.Add($"{Relative(dutch)}: no English file beside it");
        }
        Assert.True(problems.Count == 0, "English and Dutch texts differ:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheParityCheckFindsAMissingKeyAnEmptyValueAndAnotherPlaceholder()
    {
        var folder = Directory.CreateTempSubdirectory("resx-");
        try
        {
            var en = Path.Combine(folder.FullName, "X.resx");
            var nl = Path.Combine(folder.FullName, "X.nl.resx");
            File.WriteAllText(en, Resx(("A", "One {0}"), ("B", "Two"), ("C", "Three")));
            File.WriteAllText(nl, Resx(("A", "Een"), ("B", " ")));
            var problems = ParityProblems(en, nl);
            Assert.Contains(problems, p => p.Contains("no 'C'", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'B' is empty", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'A' has placeholders {}", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Resx(params (string Key, string Value)[] entries) =>
        new XDocument(new XElement("root", entries.Select(e =>
            new XElement("data", new XAttribute("name", e.Key), new XElement("value", e.Value))))).ToString();

    // --- No words written in a page ---

    /// <summary>Visible words written in a .cshtml file itself, as "file:line: text".</summary>
    public static List<string> HardCodedTexts(string file, string razor)
    {
        var found = new List<string>();
        var masked = Mask(razor);
        foreach (Match title in ViewDataTitle().Matches(masked.Original))
        {
            if (HasWords(title.Groups[1].Value)) found.Add(Where(file, razor, title.Index, title.Groups[1].Value));
        }
        var text = masked.Text;
        foreach (Match node in TextNode().Matches(text))
        {
            var offset = node.Groups[1].Index;
            foreach (var line in node.Groups[1].Value.Split('\n'))
            {
                var words = WithoutCode(line);
                if (words is not null && HasWords(words)) found.Add(Where(file, razor, offset + line.Length - line.TrimStart().Length, words.Trim()));
                offset += line.Length + 1;
            }
        }
        foreach (Match attribute in VisibleAttribute().Matches(text))
        {
            var value = WithoutExpressions(attribute.Groups[2].Value);
            if (HasWords(value)) found.Add(Where(file, razor, attribute.Index, $"{attribute.Groups[1].Value}=\"{value.Trim()}\""));
        }
        return found;
    }

    private static string Where(string file, string razor, int index, string text) =>
        $"{file}:{razor[..index].Count(c => c == '\n') + 1}: {text}";

    private static bool HasWords(string text) =>
        text.Split([' ', '\t', '\r', '\n', '.', ',', ':', ';', '(', ')', '·', '/', '-', '…', '!', '?', '"', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Any(word => word.Any(char.IsLetter) && !AllowedWords.Contains(word) && !word.StartsWith("&", StringComparison.Ordinal));

    /// <summary>
    /// The file with everything that is not markup blanked out (same length, same line breaks): Razor comments, HTML
    /// comments, directives, @{ } and @functions { } blocks, script, style and code elements, the conditions of @if, @foreach
    /// and the like, and Razor expressions (@Model.Name, @T["Key", x], @( )).
    /// </summary>
    private static (string Text, string Original) Mask(string razor)
    {
        var text = new StringBuilder(razor);
        void Blank(int from, int to)
        {
            for (var i = from; i < to && i < text.Length; i++) if (text[i] != '\n') text[i] = ' ';
        }
        foreach (Match m in RazorComment().Matches(razor)) Blank(m.Index, m.Index + m.Length);
        foreach (Match m in HtmlComment().Matches(razor)) Blank(m.Index, m.Index + m.Length);
        foreach (Match m in Directive().Matches(razor)) Blank(m.Index, m.Index + m.Length);
        foreach (Match m in ScriptOrStyle().Matches(razor)) Blank(m.Index, m.Index + m.Length);
        var current = text.ToString();
        foreach (Match m in CodeBlockStart().Matches(current))
        {
            var open = current.IndexOf('{', m.Index);
            Blank(m.Index, Closing(current, open, '{', '}') + 1);
        }
        current = text.ToString();
        foreach (Match m in ControlHeader().Matches(current))
        {
            Blank(m.Index, Closing(current, m.Index + m.Length - 1, '(', ')') + 1);
        }
        current = text.ToString();
        for (var at = current.IndexOf('@'); at >= 0; at = current.IndexOf('@', at + 1))
        {
            if (at > 0 && char.IsLetterOrDigit(current[at - 1])) continue; // an email address
            Blank(at, ExpressionEnd(current, at));
        }
        return (text.ToString(), razor);
    }

    /// <summary>The index of the bracket closing the one at <paramref name="open"/>, skipping C# strings.</summary>
    private static int Closing(string text, int open, char opening, char closing)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++) if (text[i] == '\\') i++;
                continue;
            }
            if (c == opening) depth++;
            else if (c == closing && --depth == 0) return i;
        }
        return text.Length;
    }

    /// <summary>A line of a text node without its C# (control lines, statements) and Razor expressions; null when it is code.</summary>
    private static string? WithoutCode(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || CodeLine().IsMatch(trimmed) || trimmed.EndsWith(';')) return null;
        return WithoutExpressions(trimmed);
    }

    /// <summary>Removes implicit Razor expressions (@Model.Name, @T["Key", x], @await Html.X(…)) and @@.</summary>
    private static string WithoutExpressions(string text)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '@')
            {
                result.Append(text[i]);
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == '@')
            {
                i++;
                continue;
            }
            i = ExpressionEnd(text, i) - 1;
        }
        return result.ToString();
    }

    /// <summary>Where the Razor expression starting with the @ at <paramref name="at"/> ends: @(…), or @name.member[…](…)….</summary>
    private static int ExpressionEnd(string text, int at)
    {
        var j = at + 1;
        if (j < text.Length && text[j] == '(') return Closing(text, j, '(', ')') + 1;
        if (text.AsSpan(j).StartsWith("await ")) j += "await ".Length;
        while (j < text.Length)
        {
            if (char.IsLetterOrDigit(text[j]) || text[j] == '_' || text[j] == '!') j++;
            else if (text[j] == '.' && j + 1 < text.Length && (char.IsLetter(text[j + 1]) || text[j + 1] == '_')) j++;
            else if (text[j] == '?' && j + 1 < text.Length && text[j + 1] == '.') j += 2;
            else if (text[j] is '(' or '[') j = Closing(text, j, text[j], text[j] == '(' ? ')' : ']') + 1;
            else break;
        }
        return j;
    }

    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    [GeneratedRegex(@"^\s*@(page|model|using|inject|inherits|addTagHelper|removeTagHelper|namespace|implements|attribute|layout|section)\b[^\n]*", RegexOptions.Multiline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"@(if|foreach|for|while|switch|using|lock)\s*\(|\belse\s+if\s*\(")]
    private static partial Regex ControlHeader();

    [GeneratedRegex(@"<(script|style|code)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"@(\{|functions\s*\{|code\s*\{)")]
    private static partial Regex CodeBlockStart();

    [GeneratedRegex(@">([^<>]*)<")]
    private static partial Regex TextNode();

    [GeneratedRegex(@"\b(title|placeholder|aria-label|alt)=""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex VisibleAttribute();

    [GeneratedRegex(@"ViewData\[""Title""\]\s*=\s*\$?""([^""]*)""")]
    private static partial Regex ViewDataTitle();

    [GeneratedRegex(@"^(@?(if|else|foreach|for|while|switch|using|try|catch|finally|do|case|default|var|const|break|return|continue|await|lock)\b|[{}]+$|\}\s*else\b)")]
    private static partial Regex CodeLine();

    [Fact]
    public void NoPageWritesVisibleWordsItself()
    {
        var pages = SourceFiles("*.cshtml").ToList();
        Assert.Contains(pages, p => p.EndsWith("_Layout.cshtml", StringComparison.Ordinal));
        var found = pages.SelectMany(p => HardCodedTexts(Relative(p), File.ReadAllText(p))).ToList();
        Assert.True(found.Count == 0,
            "Visible text written in a page instead of its resource files (XxxTexts.resx and XxxTexts.nl.resx, read with T[\"Key\"]):\n"
            + string.Join("\n", found));
    }

    [Fact]
    public void TheScannerFindsWordsInTextAttributesAndTitlesButNotInCodeOrExpressions()
    {
        const string page = """
            @page "/x"
            @inject IStringLocalizer<XTexts> T
            @{
                ViewData["Title"] = "Hello there";
                var label = "not shown";
            }
            <h1>@T["Title"]</h1>
            <p class="muted">Written here @Model.Name</p>
            @if (Model.Count > 0)
            {
                <input placeholder="type here" title="@T["Hint"]" aria-label="@T["Label"]">
            }
            else
            {
                <span>@(Model.Count == 1 ? "one" : "many") · Ambassadors · IBAN</span>
            }
            @if (Model.Items is { Count: > 0 } items) { <b>@T["X", items.Select(i => i.Name)]</b> }
            @* <p>commented out</p> *@
            <code>ambassadors users create</code>
            <script>const words = 'not checked';</script>
            <td>@Display.Money(line.Net, line.Currency)</td>
            """;
        var found = HardCodedTexts("X.cshtml", page);
        Assert.Equal(["X.cshtml:4: Hello there", "X.cshtml:8: Written here", "X.cshtml:11: placeholder=\"type here\""], found);
    }
}
