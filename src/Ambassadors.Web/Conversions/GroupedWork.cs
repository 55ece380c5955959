using System.Collections.Concurrent;

namespace Ambassadors.Web.Conversions;

/// <summary>
/// Concurrent requests served a group at a time (the conversions' group commit and their membership reads): a request
/// queues its item and waits for the gate; whoever holds it hands every item queued so far (up to the limit) to the
/// serving function, again until its own is answered. The serving function answers each item of the group it is given.
/// </summary>
public sealed class GroupedWork<TItem, TResult>(int limit, Func<IReadOnlyList<GroupedWork<TItem, TResult>.Pending>, Task> serve)
{
    /// <summary>One queued item and its answer.</summary>
    public sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;
        public TaskCompletionSource<TResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<Pending> _queue = new();

    /// <summary>
    /// Queues the item and returns its answer. <paramref name="waitCancellation"/> cancels only the wait for the gate: an item
    /// once queued is served with its group either way.
    /// </summary>
    public async Task<TResult> RunAsync(TItem item, CancellationToken waitCancellation)
    {
        var pending = new Pending(item);
        _queue.Enqueue(pending);
        await _gate.WaitAsync(waitCancellation);
        try
        {
            // First in, first out: this item is in the group of whoever drains the queue next, or in ours.
            while (!pending.Answer.Task.IsCompleted) await ServeGroupAsync();
        }
        finally
        {
            _gate.Release();
        }
        return await pending.Answer.Task;
    }

    private async Task ServeGroupAsync()
    {
        var group = new List<Pending>(Math.Min(limit, _queue.Count));
        while (group.Count < limit && _queue.TryDequeue(out var next)) group.Add(next);
        try
        {
            await serve(group);
        }
        catch (Exception e)
        {
            foreach (var pending in group) pending.Answer.TrySetException(e);
        }
        // A group left partly unanswered would keep its requests waiting for ever.
        foreach (var pending in group)
        {
            pending.Answer.TrySetException(new InvalidOperationException("A grouped request was left unanswered."));
        }
    }
}
