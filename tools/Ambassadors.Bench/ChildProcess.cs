using System.Diagnostics;
using System.Net;
using System.Text;

namespace Ambassadors.Bench;

/// <summary>A server under test running as its own OS process: output captured, killed (with its children) on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string? _directoryToDelete;

    private ChildProcess(Process process, string? directoryToDelete)
    {
        _process = process;
        _directoryToDelete = directoryToDelete;
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static ChildProcess Start(ProcessStartInfo start, string? directoryToDelete = null)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, directoryToDelete);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"{start.FileName} did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Polls <paramref name="url"/> until it answers <paramref name="expected"/>; fails early if the process exits.</summary>
    public async Task WaitUntilAnswersAsync(Uri url, HttpStatusCode expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException(
                    $"{_process.StartInfo.FileName} exited with code {_process.ExitCode} before {url} answered {(int)expected}. Output:\n{Output}");
            }
            try
            {
                using var response = await probe.GetAsync(url, cancellationToken);
                if (response.StatusCode == expected) return;
                last = $"{(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "no answer within 5 s";
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"{url} did not answer {(int)expected} within {timeout.TotalSeconds:0} s (last: {last}). Output:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            // Did not exit in time; nothing more to do from here.
        }
        _process.Dispose();
        if (_directoryToDelete is not null)
        {
            try
            {
                Directory.Delete(_directoryToDelete, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // Same.
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? OnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        // nginx lives in /usr/sbin, which a non-root PATH often lacks.
        foreach (var folder in new[] { "/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin" })
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
