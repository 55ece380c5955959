using System.Net;
using System.Net.Sockets;

namespace Ambassadors.Shared;

/// <summary>
/// Running the built service as a child process, shared by the test suite's crash tests and the benchmarks
/// (compiled into both as a linked file).
/// </summary>
internal static class ServiceBinaries
{
    /// <summary>The dotnet host running this process, so the service runs on the same runtime.</summary>
    public static string DotnetHost()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && Path.GetFileName(current) == executable) return current;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, executable)))
        {
            return Path.Combine(root, executable);
        }
        return executable; // from PATH
    }

    /// <summary>
    /// Where Ambassadors.Web.dll can run from: next to this assembly (a referenced web project is copied with its
    /// runtimeconfig and deps), otherwise src/Ambassadors.Web/bin/&lt;same configuration&gt;/net10.0 from the repository root.
    /// </summary>
    public static string WebAppDirectory()
    {
        var here = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        if (IsRunnable(here)) return here;
        var configuration = new DirectoryInfo(here).Parent?.Name ?? "Debug";
        for (var folder = new DirectoryInfo(here); folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "Ambassadors.sln"))) continue;
            var web = Path.Combine(folder.FullName, "src", "Ambassadors.Web", "bin", configuration, "net10.0");
            if (IsRunnable(web)) return web;
            throw new InvalidOperationException($"Ambassadors.Web is not built in {here} nor in {web}.");
        }
        throw new InvalidOperationException($"Ambassadors.Web.runtimeconfig.json is not in {here} and no repository root was found above it.");
    }

    /// <summary>A TCP port on loopback that nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRunnable(string directory) =>
        File.Exists(Path.Combine(directory, "Ambassadors.Web.dll")) &&
        File.Exists(Path.Combine(directory, "Ambassadors.Web.runtimeconfig.json"));
}
