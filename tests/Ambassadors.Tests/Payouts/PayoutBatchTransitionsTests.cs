using Ambassadors.Data;

namespace Ambassadors.Tests.Payouts;

/// <summary>The batch's transition table on its own: every (from, to) pair is allowed, a repeat, or refused with its message.</summary>
public class PayoutBatchTransitionsTests
{
    private const string Allowed = "allowed";
    private const string Repeat = "repeat";

    [Theory]
    [InlineData(PayoutBatchStatus.Draft, PayoutBatchStatus.Draft, Repeat)]
    [InlineData(PayoutBatchStatus.Draft, PayoutBatchStatus.Approved, Allowed)]
    [InlineData(PayoutBatchStatus.Draft, PayoutBatchStatus.Paid, "Batch pay_x is a draft: approve it before marking it paid.")]
    [InlineData(PayoutBatchStatus.Draft, PayoutBatchStatus.Discarded, Allowed)]
    [InlineData(PayoutBatchStatus.Approved, PayoutBatchStatus.Draft, "Batch pay_x is approved: a batch is a draft only until it is approved or discarded.")]
    [InlineData(PayoutBatchStatus.Approved, PayoutBatchStatus.Approved, Repeat)]
    [InlineData(PayoutBatchStatus.Approved, PayoutBatchStatus.Paid, Allowed)]
    [InlineData(PayoutBatchStatus.Approved, PayoutBatchStatus.Discarded, "Batch pay_x is approved: only a draft can be discarded.")]
    [InlineData(PayoutBatchStatus.Paid, PayoutBatchStatus.Draft, "Batch pay_x is paid: a batch is a draft only until it is approved or discarded.")]
    [InlineData(PayoutBatchStatus.Paid, PayoutBatchStatus.Approved, "Batch pay_x is paid: only a draft can be approved.")]
    [InlineData(PayoutBatchStatus.Paid, PayoutBatchStatus.Paid, Repeat)]
    [InlineData(PayoutBatchStatus.Paid, PayoutBatchStatus.Discarded, "Batch pay_x is paid: only a draft can be discarded.")]
    [InlineData(PayoutBatchStatus.Discarded, PayoutBatchStatus.Draft, "Batch pay_x is discarded: a batch is a draft only until it is approved or discarded.")]
    [InlineData(PayoutBatchStatus.Discarded, PayoutBatchStatus.Approved, "Batch pay_x is discarded: only a draft can be approved.")]
    [InlineData(PayoutBatchStatus.Discarded, PayoutBatchStatus.Paid, "Batch pay_x is discarded: only an approved batch can be paid.")]
    [InlineData(PayoutBatchStatus.Discarded, PayoutBatchStatus.Discarded, Repeat)]
    public void EveryMoveIsAllowedARepeatOrRefusedWithItsMessage(PayoutBatchStatus from, PayoutBatchStatus to, string expected)
    {
        Assert.Equal(expected == Allowed, PayoutBatchTransitions.IsAllowed(from, to));
        Assert.Equal(expected is Allowed or Repeat ? null : expected, PayoutBatchTransitions.Refusal("pay_x", from, to));
        if (expected == Allowed) Assert.Equal(from, PayoutBatchTransitions.From(to));
    }

    [Fact]
    public void TheTableCoversEveryPairAndNoMoveLeadsBackToDraft()
    {
        var statuses = Enum.GetValues<PayoutBatchStatus>();
        Assert.Equal(16, statuses.SelectMany(_ => statuses).Count());
        Assert.Equal(3, PayoutBatchTransitions.Allowed.Count);
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => PayoutBatchTransitions.From(PayoutBatchStatus.Draft));
        Assert.StartsWith("No move leads to this status.", refused.Message);
    }

    [Fact]
    public void StatusNamesAreLowercaseAndParseOnlyAsWritten()
    {
        Assert.Equal(["draft", "approved", "paid", "discarded"], PayoutBatchStatuses.Names);
        Assert.Equal(PayoutBatchStatuses.InWords,
            string.Join(", ", PayoutBatchStatuses.Names.SkipLast(1)) + " or " + PayoutBatchStatuses.Names[^1]);
        foreach (var status in Enum.GetValues<PayoutBatchStatus>())
        {
            Assert.True(PayoutBatchStatuses.TryParse(status.Name(), out var parsed));
            Assert.Equal(status, parsed);
        }
        foreach (var text in new[] { "Draft", "PAID", "1", "", " draft", null })
        {
            Assert.False(PayoutBatchStatuses.TryParse(text, out _));
        }
    }
}
