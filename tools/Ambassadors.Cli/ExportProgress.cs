using System.Globalization;
using Ambassadors.Payouts.Workbook;

namespace Ambassadors.Cli;

/// <summary>
/// How far a workbook export is, on stderr. On a terminal: one bar redrawn in place. With <c>--progress</c> when
/// stderr is not a terminal (a log file, cron's mail): a plain line at every 10 %, never a carriage return.
/// Otherwise nothing. Reports arrive on the writer's thread, synchronously and in order.
/// </summary>
internal sealed class ExportProgress : IProgress<WorkbookProgress>
{
    public enum Style { None, Bar, Lines }

    private const int BarWidth = 30;
    private readonly TextWriter _writer;
    private readonly Style _style;
    private readonly Lock _lock = new();
    private int _shownPercent = -1;
    private int _shownTenth = -1;
    private int _lastWidth;

    public ExportProgress(TextWriter writer, Style style)
    {
        _writer = writer;
        _style = style;
    }

    /// <summary>A bar on a terminal; lines when <paramref name="forced"/> elsewhere; else nothing.</summary>
    public static ExportProgress For(CliIo io, bool forced) =>
        new(io.Error, io.ErrorIsTerminal ? Style.Bar : forced ? Style.Lines : Style.None);

    /// <summary>Lines and rewards written so far.</summary>
    public long RowsWritten { get; private set; }

    public void Report(WorkbookProgress value)
    {
        lock (_lock)
        {
            RowsWritten = value.RowsWritten;
            Show(value.RowsWritten, value.TotalRows);
        }
    }

    /// <summary>The last state at 100 %, and the bar's line ended, once the file is complete.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            Show(RowsWritten, RowsWritten);
            if (_style == Style.Bar && _lastWidth > 0) _writer.WriteLine();
            _writer.Flush();
        }
    }

    /// <summary>Leaves the terminal on a fresh line when the export fails half-way.</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            if (_style == Style.Bar && _lastWidth > 0) _writer.WriteLine();
            _lastWidth = 0;
            _writer.Flush();
        }
    }

    private void Show(long written, long total)
    {
        var percent = total <= 0 ? 100 : (int)Math.Min(100, written * 100 / total);
        switch (_style)
        {
            case Style.Bar when percent != _shownPercent:
                var filled = percent * BarWidth / 100;
                var text = string.Create(CultureInfo.InvariantCulture,
                    $"Exporting [{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent,3}%  {written:N0}/{total:N0} rows");
                // Blank out what a longer previous line left behind.
                _writer.Write("\r" + text.PadRight(_lastWidth));
                _writer.Flush();
                _lastWidth = text.Length;
                _shownPercent = percent;
                break;
            case Style.Lines when percent / 10 > _shownTenth:
                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress: {percent}% ({written}/{total} rows)"));
                _shownTenth = percent / 10;
                break;
        }
    }
}
