using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ambassadors.Cli.Demo;

/// <summary>
/// The product's own host (src/Ambassadors.Web's Program: database, co-hosted Orleans silo, every service) started in this
/// process, so a command can call its services and grains exactly as the web app does. It listens only on a loopback port
/// the system picks, and its silo on ports of its own; stopping it flushes and deactivates like any graceful stop.
/// </summary>
/// <remarks>
/// Program.cs builds and runs its app in top-level statements. Its entry point runs on a thread of its own; the host it
/// builds is picked up from the "Microsoft.Extensions.Hosting" diagnostic events that every host emits when built (the
/// mechanism ASP.NET Core's own test host and the EF Core tools use), listening only to events raised on that thread.
/// </remarks>
internal sealed class ProductHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly IHost _host;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _exited;
    private int _stopped;

    private ProductHost(IHost host, Thread thread, TaskCompletionSource exited)
    {
        _host = host;
        _thread = thread;
        _exited = exited;
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts the host with <paramref name="settings"/> on top of its own configuration; returns once it has started.</summary>
    public static async Task<ProductHost> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var entryPoint = typeof(global::Program).Assembly.EntryPoint
            ?? throw new InvalidOperationException("Ambassadors.Web has no entry point.");
        var built = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var args = settings.Select(s => $"--{s.Key}={s.Value}").ToArray();
        Thread? thread = null;
        thread = new Thread(() =>
        {
            using var subscription = DiagnosticListener.AllListeners.Subscribe(new HostListener(() => thread!, built));
            try
            {
                entryPoint.Invoke(null, [args]);
                built.TrySetException(new InvalidOperationException("The service stopped before it was built."));
                exited.TrySetResult();
            }
            catch (Exception exception)
            {
                var inner = exception is System.Reflection.TargetInvocationException { InnerException: { } e } ? e : exception;
                built.TrySetException(inner);
                exited.TrySetException(inner);
            }
        })
        { IsBackground = true, Name = "ambassadors-service" };
        thread.Start();

        var host = await built.Task.WaitAsync(StartTimeout, cancellationToken);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            // The app's Run fails (exited) or it starts.
            await Task.WhenAny(started.Task, exited.Task).WaitAsync(StartTimeout, cancellationToken);
            if (exited.Task.IsFaulted) await exited.Task;
        }
        return new ProductHost(host, thread, exited);
    }

    /// <summary>Stops the host as a graceful shutdown does (the last clicks are flushed) and waits for its Run to return.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await _exited.Task.WaitAsync(TimeSpan.FromMinutes(1));
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>Takes the first host built on the entry point's thread.</summary>
    private sealed class HostListener(Func<Thread> thread, TaskCompletionSource<IHost> built)
        : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting" && Thread.CurrentThread == thread()) listener.Subscribe(this);
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilt" && value.Value is IHost host && Thread.CurrentThread == thread()) built.TrySetResult(host);
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
