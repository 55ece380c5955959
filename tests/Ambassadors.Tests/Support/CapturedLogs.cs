using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ambassadors.Tests.Support;

/// <summary>A logger provider that keeps every entry the host's filters let through, to assert on what was logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception)));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message);
