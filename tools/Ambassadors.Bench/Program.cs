using System.CommandLine;

namespace Ambassadors.Bench;

/// <summary>
/// <c>dotnet run -c Release --project tools/Ambassadors.Bench -- all [--smoke]</c> runs every benchmark into docs/benchmarks.md;
/// <c>dotnet run -c Release --project tools/Ambassadors.Bench -- redirect [--seconds 10] [--connections 32] [--json]</c>
/// <c>-- stats [--clicks 100000] [--conversions 2000]</c> and <c>-- export [--sizes 1000,10000,100000]</c>
/// and <c>-- payout-batch [--sizes 1000,10000,100000] [--engine sqlite|postgres] [--postgres CS]</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Ambassadors benchmarks: hot paths measured against baselines from the same run.");
        root.Subcommands.Add(AllCommand());
        root.Subcommands.Add(RedirectCommand());
        root.Subcommands.Add(ConversionsCommand());
        root.Subcommands.Add(StatsCommand());
        root.Subcommands.Add(StatsScaleCommand());
        root.Subcommands.Add(TwoNodesCommand());
        root.Subcommands.Add(PagesCommand());
        root.Subcommands.Add(PortalCommand());
        root.Subcommands.Add(BaselineServerCommand());
        root.Subcommands.Add(ExportCommand());
        root.Subcommands.Add(ExportRunCommand());
        root.Subcommands.Add(PayoutBatchCommand());
        root.Subcommands.Add(PayoutBatchRunCommand());

        var parseResult = root.Parse(args);
        return await parseResult.InvokeAsync();
    }

    private static Command AllCommand()
    {
        var smoke = new Option<bool>("--smoke") { Description = "Tiny sizes, under a minute, report written to a temp file unless --output: keeps the harness working (CI)." };
        var output = new Option<string?>("--output") { Description = "Where to write the report (default: docs/benchmarks.md of the repository; with --smoke a temp file)." };
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string for the PostgreSQL benchmarks (default: AMBASSADORS_TEST_POSTGRES); without one they are skipped." };
        var only = new Option<string?>("--only") { Description = "Comma-separated title prefixes of the benchmarks to run (e.g. Redirect,Stats)." };
        var command = new Command("all", "Every benchmark, each in its own process, gathered into docs/benchmarks.md with the machine described.")
        {
            smoke, output, postgres, only,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var isSmoke = parseResult.GetValue(smoke);
            var path = parseResult.GetValue(output)
                ?? (isSmoke ? Path.Combine(Path.GetTempPath(), "ambassadors-benchmarks-smoke.md") : Path.Combine(RepositoryRoot(), "docs", "benchmarks.md"));
            return await AllBench.RunAsync(isSmoke, path, parseResult.GetValue(postgres), parseResult.GetValue(only), cancellationToken);
        });
        return command;
    }

    /// <summary>The folder holding Ambassadors.sln, above the current directory or this tool's.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Ambassadors.sln"))) return folder.FullName;
            }
        }
        throw new InvalidOperationException("No Ambassadors.sln above the current directory: give --output.");
    }

    private static Command RedirectCommand()
    {
        var seconds = new Option<int>("--seconds")
        {
            Description = "Measured seconds per scenario (after a 2 s warm-up).",
            DefaultValueFactory = _ => 10,
        };
        var connections = new Option<int>("--connections")
        {
            Description = "Concurrent keep-alive connections.",
            DefaultValueFactory = _ => 32,
        };
        var generator = new Option<string>("--generator")
        {
            Description = "Load generator: wrk when installed, else the built-in one (auto); or force either.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "wrk", "builtin");
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };

        var command = new Command("redirect",
            "GET /r/{code} on the real service (recording on and off) against bare Kestrel answering 302 (= 1.00) and nginx `return 302`.")
        {
            seconds, connections, generator, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new RedirectBenchOptions(
                parseResult.GetValue(seconds),
                parseResult.GetValue(connections),
                parseResult.GetValue(generator) ?? "auto",
                parseResult.GetValue(json));
            if (options.Seconds < 1 || options.Connections < 1)
            {
                await Console.Error.WriteLineAsync("error: --seconds and --connections must be at least 1.");
                return 2;
            }
            return await RedirectBench.RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static Command ConversionsCommand()
    {
        var engine = new Option<string>("--engine") { DefaultValueFactory = _ => "sqlite" }.AcceptOnlyFromAmong("sqlite", "postgres");
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string for --engine postgres (a database is created and dropped)." };
        var count = new Option<int>("--count") { Description = "Conversions per run.", DefaultValueFactory = _ => 10_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients.", DefaultValueFactory = _ => 32 };
        var command = new Command("conversions",
            "POST /api/v1/conversions on the real service against a raw insert-on-conflict loop into the same table (= 1.00).")
        {
            engine, postgres, count, concurrency,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await ConversionsBench.RunAsync(parseResult.GetValue(engine)!, parseResult.GetValue(postgres), parseResult.GetValue(count),
                parseResult.GetValue(concurrency), cancellationToken));
        return command;
    }

    private static Command StatsCommand()
    {
        var clicks = new Option<int>("--clicks") { Description = "Clicks to send before the second measurement.", DefaultValueFactory = _ => 100_000 };
        var conversions = new Option<int>("--conversions") { Description = "Conversions to send before the second measurement.", DefaultValueFactory = _ => 2_000 };
        var command = new Command("stats",
            "GET .../stats latency on a fresh campaign (= 1.00), after many clicks and conversions, and for longer windows: cost should follow the days asked for, not the clicks.")
        {
            clicks, conversions,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await StatsBench.RunAsync(parseResult.GetValue(clicks), parseResult.GetValue(conversions), cancellationToken));
        return command;
    }

    private static Command StatsScaleCommand()
    {
        var scale = new Option<double>("--scale")
        {
            Description = "The large size as a share of 10M clicks and 1M conversions (the small one: 100k and 10k, scaled alike below 1).",
            DefaultValueFactory = _ => 0.2,
        };
        var pieces = new Option<int>("--pieces") { Description = "Content pieces of the campaign.", DefaultValueFactory = _ => 200 };
        var members = new Option<int>("--members") { Description = "Members of the campaign.", DefaultValueFactory = _ => 50 };
        var command = new Command("stats-scale",
            "Campaign, ambassador and content stats on data generated in bulk in the product's shape: large against small (= 1.00) and against a raw GROUP BY over the clicks.")
        {
            scale, pieces, members,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await StatsScaleBench.RunAsync(parseResult.GetValue(scale), parseResult.GetValue(pieces), parseResult.GetValue(members), cancellationToken));
        return command;
    }

    private static Command TwoNodesCommand()
    {
        var postgres = new Option<string>("--postgres") { Description = "Admin connection string (a database is created and dropped).", Required = true };
        var seconds = new Option<int>("--seconds") { Description = "Seconds per scale-out run (the kill run lasts 8 s longer).", DefaultValueFactory = _ => 8 };
        var command = new Command("two-nodes",
            "Two nodes on PostgreSQL: redirect and conversion throughput through two nodes against one (= 1.00), then one node killed under load.")
        {
            postgres, seconds,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await TwoNodesBench.RunAsync(parseResult.GetValue(postgres)!, Math.Max(1, parseResult.GetValue(seconds)), cancellationToken));
        return command;
    }

    private static Command PagesCommand()
    {
        var size = new Option<string>("--demo-size") { Description = "The demo the loader makes: full or small (a tenth).", DefaultValueFactory = _ => "full" }
            .AcceptOnlyFromAmong("full", "small");
        var factor = new Option<int>("--factor") { Description = "The larger data: the demo's ambassadors and their rows copied in bulk to this many times the demo (1: none).", DefaultValueFactory = _ => 100 };
        var keep = new Option<bool>("--keep") { Description = "Keep the database (the larger one, when --factor > 1) in its temp folder and print its path." };
        var command = new Command("pages",
            "Server time of the staff and portal pages on the demo's data and on --factor times it, signed in with the demo's accounts; GET /health of the same process = 1.00.")
        {
            size, factor, keep,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await PagesBench.RunAsync(parseResult.GetValue(size)!, Math.Max(1, parseResult.GetValue(factor)), parseResult.GetValue(keep), cancellationToken));
        return command;
    }

    private static Command PortalCommand()
    {
        var campaigns = new Option<int>("--campaigns") { Description = "Campaigns of the larger data set (the ambassador is in each).", DefaultValueFactory = _ => 100 };
        var members = new Option<int>("--members") { Description = "Other members per campaign.", DefaultValueFactory = _ => 10 };
        var clicks = new Option<int>("--clicks") { Description = "Clicks through the campaign's members' links, per campaign.", DefaultValueFactory = _ => 60 };
        var command = new Command("portal", "Server time of the portal's pages for one ambassador with 1 and with --campaigns campaigns' worth of data; GET /health of the same process = 1.00.")
        {
            campaigns, members, clicks,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await PortalBench.RunAsync(Math.Max(1, parseResult.GetValue(campaigns)), Math.Max(0, parseResult.GetValue(members)),
                Math.Max(1, parseResult.GetValue(clicks)), cancellationToken));
        return command;
    }

    /// <summary>The baseline as a child process (as the service is): one endpoint answering 302 with a Location header.</summary>
    private static Command BaselineServerCommand()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1.", Required = true };
        var command = new Command("baseline-server", "Internal: the bare Kestrel app the redirect benchmark compares against.")
        {
            port,
        };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await BaselineServer.RunAsync(parseResult.GetValue(port), cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command ExportCommand()
    {
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Payout lines per batch (two rewards each).",
            DefaultValueFactory = _ => [1_000, 10_000, 100_000],
            AllowMultipleArgumentsPerToken = true,
        };
        var closedXmlMax = new Option<int>("--closedxml-max-lines")
        {
            // ~15 KB a row: 100k lines (300k rows) would take some 4.5 GB on a machine shared with others.
            Description = "Skip ClosedXML above this many lines (it holds the whole workbook in memory, ~15 KB a row).",
            DefaultValueFactory = _ => 10_000,
        };
        var command = new Command("export",
            "The payout workbook: each writer (ClosedXML, streaming) per batch size in a fresh process: time, peak memory growth, allocations; plain CSV of the same rows = 1.00.")
        {
            sizes, closedXmlMax,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await ExportBench.RunAsync(parseResult.GetValue(sizes) ?? [], parseResult.GetValue(closedXmlMax), cancellationToken));
        return command;
    }

    /// <summary>One (writer, size) of the export benchmark, as its own process.</summary>
    private static Command ExportRunCommand()
    {
        var writer = new Option<string>("--writer") { Required = true }.AcceptOnlyFromAmong(ExportBench.Writers);
        var lines = new Option<int>("--lines") { Required = true };
        var command = new Command("export-run", "Internal: one measured export, printed as a JSON line.") { writer, lines };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
            await ExportBench.RunOneAsync(parseResult.GetValue(writer)!, parseResult.GetValue(lines), cancellationToken));
        return command;
    }

    private static Command PayoutBatchCommand()
    {
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Payees owed money (two ledger entries each).",
            DefaultValueFactory = _ => [1_000, 10_000, 100_000],
            AllowMultipleArgumentsPerToken = true,
        };
        var engine = new Option<string>("--engine") { DefaultValueFactory = _ => "sqlite" }.AcceptOnlyFromAmong("sqlite", "postgres");
        var postgres = new Option<string>("--postgres") { Description = "Admin connection string for --engine postgres (a database is created and dropped)." };
        var command = new Command("payout-batch",
            "A payout run on a real database: batch creation and the export read from the database, time and peak memory growth; the writer fed from memory = 1.00.")
        {
            sizes, engine, postgres,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await PayoutBatchBench.RunAsync(parseResult.GetValue(sizes) ?? [], parseResult.GetValue(engine)!, parseResult.GetValue(postgres), cancellationToken));
        return command;
    }

    private static Command PayoutBatchRunCommand()
    {
        var lines = new Option<int>("--lines") { Required = true };
        var engine = new Option<string>("--engine") { Required = true }.AcceptOnlyFromAmong("sqlite", "postgres");
        var command = new Command("payout-batch-run", "Internal: one measured payout run, printed as a JSON line.") { lines, engine };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
            await PayoutBatchBench.RunOneAsync(parseResult.GetValue(lines), parseResult.GetValue(engine)!, cancellationToken));
        return command;
    }
}
