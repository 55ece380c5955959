using Ambassadors.Web.Feedback;

namespace Ambassadors.Cli.Demo;

/// <summary>
/// What members tell the editors, through the feedback service the portal's forms use: ratings (mostly good, some not)
/// with a comment now and then, on the circle itself and on its pieces, the previews most of all.
/// </summary>
internal static class DemoFeedback
{
    private static readonly string[] Praise =
    [
        "Loved seeing this before anyone else.", "Beautiful photography, my followers asked where it was from.",
        "Exactly the kind of story I like to share.", "Great preview, I have already planned my post for when it is public.",
        "The behind-the-scenes part was the best.", "More of this, please!",
    ];

    private static readonly string[] Doubts =
    [
        "A bit long for my audience; a short video would work better.", "Hard to share on TikTok in this format.",
        "I liked it, but the embargo date is close to another launch I post about.", "Not really my style, to be honest.",
    ];

    public static async Task<int> LoadAsync(DemoRun run, VogueLoaded vogue, CancellationToken cancellationToken)
    {
        var world = run.World;
        var feedback = run.Get<FeedbackService>();
        var given = 0;
        foreach (var member in vogue.MemberIds)
        {
            // The demo member rated the first preview; about one member in five says something.
            var demo = member == vogue.DemoMemberId;
            if (!demo && world.NextDouble() > 0.22) continue;
            var previews = world.NextDouble() < 0.7;
            var about = demo ? vogue.Previews[0]
                : world.NextDouble() < 0.25 ? null
                : previews ? world.Pick(vogue.Previews) : world.Pick(vogue.ContentIds);
            var rating = demo ? 5 : Math.Clamp((int)Math.Round(4.2 + world.Gaussian() * 0.9), 1, 5);
            var comment = demo ? Praise[0] : world.NextDouble() < 0.55 ? world.Pick(rating >= 4 ? Praise : Doubts) : null;
            DemoRun.Ok(await feedback.GiveAsync(member, vogue.CampaignId, about, rating, comment, cancellationToken), "feedback");
            given++;
        }
        await run.SayAsync($"Vogue: {DemoRun.N(given)} ratings and comments from members, on the circle and its pieces");
        return given;
    }
}
