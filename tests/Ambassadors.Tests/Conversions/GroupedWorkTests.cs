using Ambassadors.Web.Conversions;

namespace Ambassadors.Tests.Conversions;

/// <summary>
/// The mechanism under the group commit and the membership reads: concurrent requests are served a group at a time, each
/// gets its own answer, and a serving function that fails or forgets a request does not leave anyone waiting.
/// </summary>
public sealed class GroupedWorkTests
{
    [Fact]
    public async Task ConcurrentRequestsAreServedInGroupsEachWithItsOwnAnswer()
    {
        var groups = new List<int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = new GroupedWork<int, string>(4, async group =>
        {
            lock (groups) groups.Add(group.Count);
            await release.Task;
            foreach (var pending in group) pending.Answer.TrySetResult($"answer {pending.Item}");
        });

        // The first request holds the gate (its group waits for release) while nine more queue behind it.
        var first = work.RunAsync(0, CancellationToken.None);
        var rest = Enumerable.Range(1, 9).Select(i => work.RunAsync(i, CancellationToken.None)).ToList();
        release.SetResult();
        var answers = await Task.WhenAll(rest.Prepend(first));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"answer {i}"), answers);
        Assert.Equal(10, groups.Sum());
        Assert.All(groups, size => Assert.InRange(size, 1, 4));
        Assert.True(groups.Count < 10, $"groups of {string.Join(", ", groups)}: the nine queued requests were not grouped");
    }

    [Fact]
    public async Task AFailureFailsEachRequestOfItsGroupAndAForgottenRequestIsNotLeftWaiting()
    {
        var failing = new GroupedWork<int, bool>(8, _ => throw new InvalidOperationException("the store is down"));
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.RunAsync(1, CancellationToken.None));
        Assert.Equal("the store is down", failed.Message);

        var forgetful = new GroupedWork<int, bool>(8, group =>
        {
            foreach (var pending in group.Where(p => p.Item % 2 == 0)) pending.Answer.TrySetResult(true);
            return Task.CompletedTask;
        });
        Assert.True(await forgetful.RunAsync(2, CancellationToken.None));
        var forgotten = await Assert.ThrowsAsync<InvalidOperationException>(() => forgetful.RunAsync(3, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("A grouped request was left unanswered.", forgotten.Message);
    }
}
