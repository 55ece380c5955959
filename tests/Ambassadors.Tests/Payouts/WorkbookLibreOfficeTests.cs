using System.Diagnostics;
using System.Text;
using Ambassadors.Payouts.Workbook;

namespace Ambassadors.Tests.Payouts;

/// <summary>
/// Each writer's file opened by another spreadsheet program: LibreOffice converts every sheet to CSV with the
/// cells as shown (numbers with their formats, dates as dates), which must match what finance should see.
/// </summary>
public sealed class WorkbookLibreOfficeTests
{
    // Comma, double quote, UTF-8, from line 1, -, default language, quote only where needed, -,
    // cell contents as shown, no formulas, keep spaces, every sheet to its own file (<name>-<Sheet>.csv).
    private const string CsvFilter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1";

    [SkippableFact]
    public async Task LibreOffice_reads_the_same_values_from_both_writers()
    {
        Skip.IfNot(OnPath("soffice"), "soffice (LibreOffice, Debian package libreoffice-calc-nogui) is not on PATH.");
        var folder = Directory.CreateTempSubdirectory("ambassadors-workbook-");
        try
        {
            foreach (var writer in new[] { WorkbookWriterKind.ClosedXml, WorkbookWriterKind.Streaming })
            {
                await File.WriteAllBytesAsync(Path.Combine(folder.FullName, $"{writer}.xlsx"),
                    await WorkbookFiles.WriteAsync(WorkbookSamples.Batch(), writer));
            }
            await ConvertAsync(folder.FullName, "ClosedXml.xlsx", "Streaming.xlsx");

            foreach (var writer in new[] { "ClosedXml", "Streaming" })
            {
                var summary = Csv(folder.FullName, writer, "Summary");
                var payouts = Csv(folder.FullName, writer, "Payouts");
                var lines = Csv(folder.FullName, writer, "Lines");

                Assert.Equal(["Programme", "Acme Ambassadors"], summary[1][..2]);
                Assert.Equal(["Period end", "2026-10-31"], summary[3][..2]);
                Assert.Equal(["Minimum amount", "25.5"], summary[5][..2]);
                Assert.Equal(["Created at (UTC)", "2026-11-02 07:15"], summary[6][..2]);
                Assert.Equal("'" + WorkbookSamples.Injections[0], summary[7][1]);
                Assert.Equal(["BHD", "1", "2", "10.125", "-10.250", "-0.125"], summary[19]);
                Assert.Equal(["EUR", "2", "4", "1,235.55", "-10.50", "1,225.05"], summary[20]);
                Assert.Equal(["JPY", "1", "1", "50,000", "0", "50,000"], summary[21]);

                Assert.Equal(5, payouts.Count);
                Assert.Equal(
                    ["1", "Zoë Ångström 山田太郎 😀", "zoe@example.com", "SE", "bank", "SE4550000000058398257466", "ESSESESS", "",
                     "EUR", "1,234.56", "-10.50", "1,224.06", "3", "PAY-2026-10-0001", "amb_01JZ0000000000000000000001"],
                    payouts[1]);
                Assert.Equal(["'" + WorkbookSamples.Injections[0], "'" + WorkbookSamples.Injections[1]], payouts[2][1..3]);
                Assert.Equal("'" + WorkbookSamples.Injections[3], payouts[2][7]);
                Assert.Equal(["'\t=1+1", "'\n=2+2"], payouts[3][1..3]);
                Assert.Equal(["10.125", "-10.250", "-0.125"], payouts[3][9..12]);
                Assert.Equal(["0.99", "0.00", "0.99", "1", "0042", "00123"], payouts[4][9..]);

                Assert.Equal(8, lines.Count);
                Assert.Equal(["1", "PAY-2026-10-0001"], lines[1][..2]);
                Assert.Equal(["Été 2026 ☀", "cnt_1", "Vidéo «best of»", "reward", "2026-10-01", "EUR", "1,000.00"], lines[1][6..]);
                Assert.Equal("'" + WorkbookSamples.Injections[2], lines[2][6]);
                Assert.Equal(["", ""], lines[2][7..9]);
                Assert.Equal(["'" + WorkbookSamples.Injections[0], "clawback", "2026-10-31", "EUR", "-10.50"], lines[3][8..]);
                Assert.Equal("50,000", lines[4][12]);
                Assert.Equal(["'\t=1+1", "cnt_4", "'\n=2+2"], lines[5][6..9]);
                Assert.Equal(["00042", "camp_5", "2026-10-01", "cnt_6", "  padded  "], lines[7][4..9]);
            }
            foreach (var sheet in new[] { "Summary", "Payouts", "Lines" })
            {
                Assert.Equal(Csv(folder.FullName, "ClosedXml", sheet), Csv(folder.FullName, "Streaming", sheet));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task ConvertAsync(string folder, params string[] files)
    {
        var start = new ProcessStartInfo("soffice")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A profile of its own: no clash with another LibreOffice running, nothing left in the user's.
        foreach (var argument in new[] { $"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", CsvFilter, "--outdir", Path.Combine(folder, "csv") })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var file in files) start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var outputs = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("soffice did not convert within 60 s.");
        }
        var text = string.Join("\n", await outputs);
        Assert.True(process.ExitCode == 0, $"soffice exited with {process.ExitCode}: {text}");
    }

    private static List<string[]> Csv(string folder, string file, string sheet)
    {
        var path = Path.Combine(folder, "csv", $"{file}-{sheet}.csv");
        Assert.True(File.Exists(path), $"{path} missing; LibreOffice wrote: {string.Join(", ", Directory.GetFiles(Path.Combine(folder, "csv")).Select(Path.GetFileName))}");
        return ParseCsv(File.ReadAllText(path, Encoding.UTF8));
    }

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }
        return rows;
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, name)));
}
