using System.CommandLine;
using System.Diagnostics;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Cli.Demo;

/// <summary>
/// <c>ambassadors demo [--force] [--size full|small]</c>: loads two lived-in programmes into the configured database through
/// the product's own services (its host runs in this process), and prints the accounts to look around with.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The seed of every invented name and number: the demo is the same every time (ids and codes aside).</summary>
    public const int Seed = 2014;

    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var force = new Option<bool>("--force")
        {
            Description = "Load even into a database that holds data: the demo is added beside it (with its own emails).",
        };
        var size = new Option<string>("--size")
        {
            Description = "full (4,000 applicants, 100 agents, 1,000 members) or small (a tenth, for tests).",
            DefaultValueFactory = _ => "full",
        }.AcceptOnlyFromAmong("full", "small");
        var command = new Command("demo",
            "Load a Fiesta-Movement-like programme and a Vogue-like circle, with six months of traffic, sales, missions and payouts, "
            + "and print the accounts to sign in with. Refuses a database that holds data unless --force.") { force, size };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var total = Stopwatch.StartNew();
            var chosen = DemoSize.Parse(parseResult.GetValue(size));
            await context.Out.WriteLineAsync($"Database: {context.Storage.Describe()}");
            if (context.Storage.SqliteFile is { } file) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await context.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);

            var held = await HeldAsync(context, cancellationToken);
            if (held is not null && !parseResult.GetValue(force))
            {
                throw new CliException(ExitCodes.Conflict,
                    $"the database already holds data ({held}). The demo loads into an empty database; run it with --force to add it beside what is there.");
            }
            var tag = held is null ? "" : await FreeTagAsync(context, cancellationToken);
            if (held is not null) await context.Out.WriteLineAsync($"The database holds data ({held}): the demo is added beside it, its emails tagged \"{tag}\".");

            var settings = HostSettings(context.Storage, context.Verbose);
            await context.Out.WriteLineAsync("Starting the service in this process…");
            await using (var host = await ProductHost.StartAsync(settings, cancellationToken))
            {
                var run = new DemoRun(host.Services, new DemoWorld(Seed, tag), chosen, host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), context.Out, total)
                {
                    Engine = context.Storage.Engine,
                };
                await run.SayAsync($"Service started; loading the {chosen.Name} demo");
                var staff = await DemoAccounts.StaffAsync(run, cancellationToken);
                var ford = await FordProgramme.LoadAsync(run, cancellationToken);
                var missions = await DemoMissions.LoadAsync(run, ford, cancellationToken);
                var vogue = await VogueCircle.LoadAsync(run, cancellationToken);
                var feedback = await DemoFeedback.LoadAsync(run, vogue, cancellationToken);
                var agent = await DemoAccounts.AmbassadorAsync(run, ford.StarAgentId, run.World.Account("agent"), "Demo-Agent-2026", "agent (Ford)", cancellationToken);
                var member = await DemoAccounts.AmbassadorAsync(run, vogue.DemoMemberId, run.World.Account("member"), "Demo-Member-2026", "member (Vogue)", cancellationToken);
                await run.SayAsync("Stopping the service (its last counters are written)");
                await host.DisposeAsync();
                await run.SayAsync("Service stopped");
                await SummaryAsync(context.Out, ford, missions, vogue, feedback, [.. staff, agent, member], total.Elapsed);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What the database holds that the demo would mix with (campaigns, ambassadors, users), or null when empty.</summary>
    private static async Task<string?> HeldAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var campaigns = await db.Campaigns.CountAsync(cancellationToken);
        var ambassadors = await db.Ambassadors.CountAsync(cancellationToken);
        var users = await db.Users.CountAsync(cancellationToken);
        return campaigns + ambassadors + users == 0 ? null : $"{campaigns} campaigns, {ambassadors} ambassadors, {users} users";
    }

    /// <summary>A tag for a second (third…) load's emails: ".r2" when manager@demo.example is taken, and so on.</summary>
    private static async Task<string> FreeTagAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var taken = (await db.Users.Where(u => u.Email != null && u.Email.EndsWith("@demo.example")).Select(u => u.Email!).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!taken.Contains("manager@demo.example")) return "";
        for (var n = 2; ; n++)
        {
            if (!taken.Contains($"manager.r{n}@demo.example")) return $".r{n}";
        }
    }

    /// <summary>
    /// The service's configuration on top of its own (appsettings.json, environment): the database this command resolved, a loopback
    /// port the system picks, silo ports of its own and a cluster of its own, so a service already running is not disturbed.
    /// </summary>
    private static Dictionary<string, string> HostSettings(StorageSettings storage, bool verbose)
    {
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["applicationName"] = "Ambassadors.Web",
            ["Ambassadors:Orleans:SiloPort"] = FreePort(),
            ["Ambassadors:Orleans:GatewayPort"] = FreePort(),
            ["Ambassadors:Orleans:ClusterId"] = "ambassadors-demo",
            ["Ambassadors:Orleans:AdvertisedIP"] = "127.0.0.1",
            ["Logging:LogLevel:Default"] = verbose ? "Information" : "Error",
            // More specific than the service's own filters (Orleans, Microsoft.AspNetCore: warnings), which would win otherwise.
            ["Logging:LogLevel:Orleans.Runtime"] = verbose ? "Warning" : "Error",
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = verbose ? "Warning" : "Error",
        };
        settings["Ambassadors:Database"] = storage.Engine == StorageEngine.Postgres ? "postgres" : "sqlite";
        settings["ConnectionStrings:Ambassadors"] = storage.Engine == StorageEngine.Postgres ? FewerConnections(storage.ConnectionString) : storage.ConnectionString;
        return settings;
    }

    /// <summary>
    /// The load activates thousands of grains in bursts, each reading its state: unbounded, its pool (100 by default) can
    /// take every connection PostgreSQL allows (100 by default) from the service and others. Unless the connection string
    /// says otherwise, the demo keeps to 20; they wait their turn instead.
    /// </summary>
    private static string FewerConnections(string connectionString) =>
        System.Text.RegularExpressions.Regex.IsMatch(connectionString, @"max(imum)?\s*pool\s*size", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            ? connectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 20 }.ConnectionString;

    private static string FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task SummaryAsync(TextWriter output, FordLoaded ford, MissionsLoaded missions, VogueLoaded vogue, int feedback, IReadOnlyList<DemoAccount> accounts,
        TimeSpan elapsed)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Loaded in {elapsed.TotalSeconds:0.0} s:");
        await output.WriteLineAsync($"  {FordProgramme.Name} ({ford.CampaignId}): {DemoRun.N(ford.Applicants)} applicants, {ford.Agents} agents, "
            + $"{ford.ContentIds.Count} pieces, {DemoRun.N(ford.Traffic.Clicks)} clicks, {DemoRun.N(ford.Traffic.Leads)} leads, "
            + $"{DemoRun.N(ford.Traffic.Sales)} sales ({ford.Refunds} refunded), {ford.PaidBatches} paid batches (EUR {DemoTraffic.Money(ford.Paid)}), "
            + $"{missions.MissionIds.Count} missions with {DemoRun.N(missions.Submissions)} proofs ({DemoRun.N(missions.Accepted)} accepted, {missions.Rejected} rejected, {missions.Open} open)");
        await output.WriteLineAsync($"  {VogueCircle.Name} ({vogue.CampaignId}): {DemoRun.N(vogue.Members)} members, {vogue.ContentIds.Count} pieces "
            + $"({vogue.Previews.Count} exclusive previews), {DemoRun.N(vogue.Traffic.Clicks)} clicks, {DemoRun.N(vogue.Traffic.Leads)} leads, "
            + $"{DemoRun.N(feedback)} ratings");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Sign in at /login (start the service with `dotnet run --project src/Ambassadors.Web`):");
        foreach (var account in accounts)
        {
            await output.WriteLineAsync($"  {account.Role,-15} {account.Email,-26} {account.Password,-18} {account.Opens}");
        }
    }
}
