using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

using Ambassadors.Shared;

namespace Ambassadors.Tests.Support;

/// <summary>
/// The real service (web host and co-hosted silo) as a separate OS process, started with <c>dotnet Ambassadors.Web.dll</c>,
/// for what an in-process host cannot show: a hard kill (kill -9) and a graceful stop on SIGTERM.
/// </summary>
/// <remarks>
/// The test project references Ambassadors.Web, so the build copies Ambassadors.Web.dll with its .runtimeconfig.json and
/// .deps.json into the test output folder, next to every assembly it needs; that folder is used. If the runtimeconfig is
/// not there (another build layout), the web project's own output folder, src/Ambassadors.Web/bin/&lt;Configuration&gt;/net10.0,
/// found from the repository root, is used instead.
/// </remarks>
public sealed class ServiceProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly StringBuilder _output = new();
    private readonly List<HttpClient> _clients = [];

    private ServiceProcess(Process process, string workingDirectory, Uri baseAddress)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>From process start to the first 200 from /health.</summary>
    public TimeSpan StartupTime { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts the service; a restart of "the same node" passes the same cluster id and silo/gateway ports.
    /// <paramref name="settings"/> adds or overrides environment variables, e.g. a log level.</summary>
    public static async Task<ServiceProcess> StartAsync(Engine engine, string connectionString, string? clusterId = null,
        int? siloPort = null, int? gatewayPort = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var appDirectory = ServiceBinaries.WebAppDirectory();
        var port = TestDatabases.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var workingDirectory = Path.Combine(Path.GetTempPath(), "ambassadors-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);

        var start = new ProcessStartInfo(ServiceBinaries.DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        start.ArgumentList.Add(Path.Combine(appDirectory, "Ambassadors.Web.dll"));
        var environment = start.Environment;
        environment["ASPNETCORE_URLS"] = baseAddress.GetLeftPart(UriPartial.Authority);
        environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        environment["DOTNET_ENVIRONMENT"] = "Testing";
        environment["Ambassadors__Database"] = engine == Engine.Sqlite ? "sqlite" : "postgres";
        environment["ConnectionStrings__Ambassadors"] = connectionString;
        environment["Ambassadors__AdminApiKey"] = AmbassadorsApp.AdminKey;
        environment["Ambassadors__Orleans__SiloPort"] = (siloPort ?? TestDatabases.FreePort()).ToString();
        environment["Ambassadors__Orleans__GatewayPort"] = (gatewayPort ?? TestDatabases.FreePort()).ToString();
        environment["Ambassadors__Orleans__ClusterId"] = clusterId ?? $"process-{Guid.NewGuid():N}";
        environment["Ambassadors__Orleans__AdvertisedIP"] = "127.0.0.1";
        environment["Logging__LogLevel__Orleans.Runtime"] = "Error";
        // Plain lines in the captured output, no ANSI colours.
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, workingDirectory, baseAddress);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);

        var clock = Stopwatch.StartNew();
        try
        {
            if (!process.Start()) throw new InvalidOperationException("The service process did not start.");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await service.WaitUntilHealthyAsync(clock);
            service.StartupTime = clock.Elapsed;
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client with the admin API key.</summary>
    public HttpClient Admin()
    {
        var client = Track(new HttpClient());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AmbassadorsApp.AdminKey);
        return client;
    }

    /// <summary>An anonymous HTTP client that neither follows redirects nor keeps cookies, as a link visitor's first request.</summary>
    public HttpClient Client() =>
        Track(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }));

    /// <summary>kill -9 of the whole process tree: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does, and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        if (!_process.HasExited) await SendSigtermAsync(_process.Id);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            var output = Output;
            await KillAsync();
            throw new TimeoutException($"The service (pid {Pid}) did not exit within {timeout.TotalSeconds:0.#} s of SIGTERM; killed it. Output:\n{output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        try
        {
            if (!_process.HasExited) await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to stop.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
    }

    private HttpClient Track(HttpClient client)
    {
        client.BaseAddress = BaseAddress;
        client.Timeout = TimeSpan.FromSeconds(30);
        _clients.Add(client);
        return client;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync(Stopwatch clock)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var last = "no answer yet";
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // lets the output readers finish
                throw new InvalidOperationException(
                    $"The service exited with code {_process.ExitCode} before /health answered 200. Output:\n{Output}");
            }
            try
            {
                using var response = await probe.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "/health did not answer within 5 s";
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(
            $"The service did not answer 200 on /health within {StartTimeout.TotalSeconds:0} s (last: {last}). Output:\n{Output}");
    }

    private static async Task SendSigtermAsync(int pid)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("SIGTERM needs a Unix-like system.");
        var kill = new ProcessStartInfo("kill")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        kill.ArgumentList.Add("-TERM");
        kill.ArgumentList.Add(pid.ToString());
        using var process = Process.Start(kill) ?? throw new InvalidOperationException("Could not run kill.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {pid} failed: {await error}");
    }
}
