using Ambassadors.Payouts.Workbook;
using ClosedXML.Excel;

namespace Ambassadors.Tests.Payouts;

public sealed class WorkbookApiTests
{
    [Theory]
    [InlineData(0, 0, WorkbookWriterKind.ClosedXml)]
    [InlineData(1_000, 2_000, WorkbookWriterKind.ClosedXml)]
    [InlineData(PayoutWorkbook.StreamingThresholdRows, 0, WorkbookWriterKind.ClosedXml)]
    [InlineData(PayoutWorkbook.StreamingThresholdRows, 1, WorkbookWriterKind.Streaming)]
    [InlineData(100_000, 200_000, WorkbookWriterKind.Streaming)]
    [InlineData(int.MaxValue, int.MaxValue, WorkbookWriterKind.Streaming)]
    public void ChooseWriter_streams_above_the_threshold_of_lines_plus_rewards(int lines, int rewards, WorkbookWriterKind expected)
    {
        var summary = WorkbookSamples.Batch().Summary with { LineCount = lines, RewardCount = rewards };

        Assert.Equal(expected, PayoutWorkbook.ChooseWriter(summary));
    }

    [Theory]
    [InlineData("Acme Ambassadors", "pay_01JZABCDEF0123456789", "Acme Ambassadors payouts 2026-10-31 pay_01JZABCDEF0123456789.xlsx")]
    [InlineData("Café Crème / Ünïcødé: \"best\" <club>", "pay_1", "Cafe Creme Unic-de-best-club payouts 2026-10-31 pay_1.xlsx")]
    [InlineData("  ../../etc/passwd  ", "pay\r\n2", "etc-passwd payouts 2026-10-31 pay 2.xlsx")]
    [InlineData("山田", "pay_3", "Ambassadors payouts 2026-10-31 pay_3.xlsx")]
    public void FileName_names_programme_period_and_batch_in_safe_characters(string programme, string batchId, string expected)
    {
        var summary = WorkbookSamples.Batch().Summary with { ProgrammeName = programme, BatchId = batchId };

        Assert.Equal(expected, PayoutWorkbook.FileName(summary));
    }

    [Fact]
    public void FileName_is_bounded()
    {
        var summary = WorkbookSamples.Batch().Summary with { ProgrammeName = new string('a', 500) };

        var name = PayoutWorkbook.FileName(summary);

        Assert.True(name.Length <= 160, name);
        Assert.EndsWith(".xlsx", name);
    }

    [Theory]
    [InlineData(WorkbookWriterKind.ClosedXml)]
    [InlineData(WorkbookWriterKind.Streaming)]
    public async Task Writes_to_a_non_seekable_stream_reporting_progress_and_enumerating_once(WorkbookWriterKind writer)
    {
        const int lines = 500;
        var enumerations = 0;
        var batch = WorkbookSamples.Batch();
        var line = ((List<PayoutWorkbookLine>)batch.Lines)[0];
        var reward = ((List<PayoutWorkbookReward>)batch.Rewards)[0];
        IEnumerable<T> Once<T>(Func<int, T> make)
        {
            enumerations++;
            for (var n = 1; n <= lines; n++) yield return make(n);
        }
        var data = new PayoutWorkbookData(
            batch.Summary with { LineCount = lines, RewardCount = lines },
            Once(n => line with { Number = n }),
            Once(n => reward with { LineNumber = n }));
        var reports = new List<WorkbookProgress>();
        using var output = new NonSeekableStream();

        await PayoutWorkbook.WriteAsync(data, output, writer, new SynchronousProgress(reports.Add));

        Assert.Equal(2, enumerations);
        Assert.InRange(reports.Count, 100, 210);
        Assert.Equal(new WorkbookProgress(2 * lines, 2 * lines), reports[^1]);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.RowsWritten < p.Second.RowsWritten));
        using var workbook = new XLWorkbook(new MemoryStream(output.Written.ToArray()));
        Assert.Equal($"A1:M{lines + 1}", workbook.Worksheet("Lines").RangeUsed()!.RangeAddress.ToString());
    }

    [Theory]
    [InlineData(WorkbookWriterKind.ClosedXml)]
    [InlineData(WorkbookWriterKind.Streaming)]
    public async Task Cancellation_stops_the_enumeration(WorkbookWriterKind writer)
    {
        using var cancellation = new CancellationTokenSource();
        var batch = WorkbookSamples.Batch();
        var line = ((List<PayoutWorkbookLine>)batch.Lines)[0];
        IEnumerable<PayoutWorkbookLine> Endless()
        {
            for (var n = 1; ; n++)
            {
                if (n == 1_000) cancellation.Cancel();
                yield return line with { Number = n };
            }
        }
        var data = batch with { Lines = Endless() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            PayoutWorkbook.WriteAsync(data, new MemoryStream(), writer, cancellationToken: cancellation.Token));
    }

    /// <summary>Like an HTTP response body: write-only, no position, no synchronous writes.</summary>
    private sealed class NonSeekableStream : Stream
    {
        public MemoryStream Written { get; } = new();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous write");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Written.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Written.WriteAsync(buffer, offset, count, cancellationToken);
    }

    private sealed class SynchronousProgress(Action<WorkbookProgress> report) : IProgress<WorkbookProgress>
    {
        public void Report(WorkbookProgress value) => report(value);
    }
}
