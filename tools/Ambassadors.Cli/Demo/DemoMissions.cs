using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Missions;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Cli.Demo;

/// <summary>What the missions loaded: per mission its submissions by outcome.</summary>
internal sealed record MissionsLoaded(IReadOnlyList<string> MissionIds, int Submissions, int Accepted, int Rejected, int Open);

/// <summary>
/// Ford's six monthly missions, one a month, through the missions' own service: the agents' proofs for each past month,
/// most accepted (each bonus one ledger entry, as the review page makes it), a few rejected with a reason, and the current
/// month's proofs waiting for review.
/// </summary>
/// <remarks>
/// The service takes proof only while a mission runs by its clock, which is now: a past month's mission is opened until
/// today for its members' proofs and reviews, then its due date is set back to the month's end with the manager's update.
/// </remarks>
internal static class DemoMissions
{
    private static readonly (string Title, string Brief)[] Themes =
    [
        ("Road trip", "Take the Fiesta somewhere you have never driven and share the trip: a post or a video with your link."),
        ("Tech on board", "Show how the connected car fits a day of yours: the app, the voice commands, the music. One post with your link."),
        ("Drive for good", "Lend the car to a cause for a day and tell its story. One post with your link, and the cause named."),
        ("Night out", "A night of culture across town by car: concert, gallery, late dinner. Share it with your link."),
        ("Weekend adventure", "Mountains, coast or forest: a weekend with the boot full. A post or a reel with your link."),
        ("Winter lights", "The season's lights and markets, one drive at a time. Share your evening with your link."),
    ];

    private static readonly string[] Reasons =
    [
        "The post does not say it is a paid partnership; add #ad and send it again.",
        "The link in the post is not your tracked link; please use the one in your portal.",
        "The post is about last month's theme; this mission asks for the road trip.",
    ];

    public static async Task<MissionsLoaded> LoadAsync(DemoRun run, FordLoaded ford, CancellationToken cancellationToken)
    {
        var world = run.World;
        var missions = run.Get<MissionService>();
        var names = await NamesAsync(run, ford.AgentIds, cancellationToken);
        var (ids, submissions, accepted, rejected, open) = (new List<string>(), 0, 0, 0, 0);
        for (var month = 0; month < Themes.Length; month++)
        {
            var current = month == Themes.Length - 1;
            var (title, brief) = Themes[month];
            var input = new MissionInput($"{run.MonthStart(month).ToString("MMMM", CultureInfo.InvariantCulture)}: {title}", brief, run.MonthStart(month),
                current ? run.MonthEnd(month) : run.Today, current ? 30m : 25m);
            var mission = DemoRun.Ok(await missions.CreateAsync(ford.CampaignId, input, run.Manager, cancellationToken), "mission");
            ids.Add(mission.Id);

            // Stars always take part; the tail less and less as the months go by, the current month only partly so far.
            // Drawn in order (the same story every time), then sent and reviewed as many members and a reviewer would.
            var share = current ? 0.45 : 0.85 - 0.05 * month;
            var plan = new List<(string Agent, ProofInput Proof, string? Rejection)>();
            foreach (var (agent, rank) in ford.AgentIds.Select((agent, rank) => (agent, rank)))
            {
                if (rank >= 5 && world.NextDouble() > share) continue;
                var proof = new ProofInput($"https://www.instagram.com/p/{Token(world)}/",
                    world.NextDouble() < 0.5 ? null : $"Posted on {world.Pick(["Instagram", "TikTok", "my blog"])}; {world.Next(2, 40)} comments so far.");
                plan.Add((agent, proof, rank > 0 && world.NextDouble() < 0.07 ? world.Pick(Reasons) : null));
            }
            // SQLite's one writer would make parallel transactions wait on each other (busy retries): one at a time there.
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = run.Engine == StorageEngine.Sqlite ? 1 : 8, CancellationToken = cancellationToken },
                async (step, token) =>
                {
                    var submission = DemoRun.Ok(await missions.SubmitAsync(step.Agent, mission.Id, step.Proof,
                        new Actor($"ambassador:{step.Agent}", $"{names[step.Agent]} (ambassador)"), token), "proof");
                    if (current) return;
                    if (step.Rejection is { } reason) DemoRun.Ok(await missions.RejectAsync(submission.Id, reason, run.Manager, token), "reject");
                    else DemoRun.Ok(await missions.AcceptAsync(submission.Id, run.Manager, token), "accept");
                });
            submissions += plan.Count;
            if (current) open += plan.Count;
            else
            {
                rejected += plan.Count(p => p.Rejection is not null);
                accepted += plan.Count(p => p.Rejection is null);
            }
            if (!current)
            {
                DemoRun.Ok(await missions.UpdateAsync(mission.Id, input with { DueOn = run.MonthEnd(month) }, run.Manager, cancellationToken), "mission dates");
            }
        }
        await run.SayAsync($"Ford: {ids.Count} monthly missions, {DemoRun.N(submissions)} proofs ({DemoRun.N(accepted)} accepted with a bonus, "
            + $"{rejected} rejected with a reason, {open} waiting for review)");
        return new MissionsLoaded(ids, submissions, accepted, rejected, open);
    }

    private static string Token(DemoWorld world) =>
        string.Concat(Enumerable.Range(0, 11).Select(_ => "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-"[world.Next(59)]));

    private static async Task<Dictionary<string, string>> NamesAsync(DemoRun run, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        await using var db = await run.DbAsync(cancellationToken);
        return await db.Ambassadors.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
    }
}
