using System.Diagnostics;
using Ambassadors.Shared;
using Microsoft.Playwright;

namespace Ambassadors.Screenshots;

/// <summary>
/// The README's screenshots of the demo data: loads <c>ambassadors demo</c> into a fresh SQLite database in a temporary
/// folder, starts the built service on it (its own process, a free port), signs in with the demo's accounts in Debian's
/// Chromium and saves each page to docs/screenshots/demo-*.png (or the folder given as the only argument).
/// </summary>
internal static class Program
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<int> Main(string[] args)
    {
        var output = Path.GetFullPath(args.FirstOrDefault() ?? Path.Combine(RepositoryRoot(), "docs", "screenshots"));
        if (!File.Exists(Chromium))
        {
            await Console.Error.WriteLineAsync($"Chromium is not at {Chromium}: apt-get install chromium.");
            return 2;
        }
        var folder = Directory.CreateTempSubdirectory("ambassadors-screenshots-");
        var database = $"Data Source={Path.Combine(folder.FullName, "demo.db")}";
        try
        {
            var demo = await Ambassadors.Cli.Cli.RunAsync(["--database", "sqlite", "--connection-string", database, "demo"],
                Console.Out, Console.Error, TextReader.Null);
            if (demo != 0) return demo;

            await using var service = await Service.StartAsync(folder.FullName, database);
            Directory.CreateDirectory(output);
            await new Pages(service.BaseAddress, output).TakeAllAsync();
            Console.WriteLine($"Screenshots in {output}");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { folder.Delete(recursive: true); } catch (IOException) { /* the OS cleans its temp folder */ }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ambassadors.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Run this from the repository (or give the output folder as the argument).");
    }

    /// <summary>The built service as a child process on the demo's database.</summary>
    private sealed class Service(Process process, Uri baseAddress) : IAsyncDisposable
    {
        public Uri BaseAddress { get; } = baseAddress;

        public static async Task<Service> StartAsync(string workingDirectory, string database)
        {
            var web = ServiceBinaries.WebAppDirectory();
            var address = new Uri($"http://127.0.0.1:{ServiceBinaries.FreePort()}/");
            var start = new ProcessStartInfo(ServiceBinaries.DotnetHost(), [Path.Combine(web, "Ambassadors.Web.dll")])
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Ambassadors__Database"] = "sqlite";
            start.Environment["ConnectionStrings__Ambassadors"] = database;
            start.Environment["Ambassadors__Orleans__SiloPort"] = ServiceBinaries.FreePort().ToString();
            start.Environment["Ambassadors__Orleans__GatewayPort"] = ServiceBinaries.FreePort().ToString();
            start.Environment["Ambassadors__Orleans__AdvertisedIP"] = "127.0.0.1";
            var process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"service: {e.Data}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                if (process.HasExited) throw new InvalidOperationException($"The service stopped with exit code {process.ExitCode}.");
                try
                {
                    if ((await http.GetAsync("/health")).IsSuccessStatusCode) return new Service(process, address);
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                await Task.Delay(250);
            }
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The service was not healthy within 90 s.");
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }
}
