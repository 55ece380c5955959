using System.CommandLine;
using System.Data.Common;
using System.Net.Sockets;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ambassadors.Cli;

/// <summary>Process exit codes of every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Unexpected error; the message is on stderr (with the stack trace under --verbose).</summary>
    public const int Error = 1;
    /// <summary>Invalid arguments or configuration, weak password, taken email.</summary>
    public const int InvalidInput = 2;
    /// <summary>The database cannot be reached or is not migrated.</summary>
    public const int DatabaseUnavailable = 3;
    /// <summary>Nothing to do, which is not a failure: <c>payouts create</c> found nothing to pay and made no batch
    /// (a monthly cron job tells "nothing this month" from an error by it).</summary>
    public const int NothingToDo = 4;
    /// <summary>The record's state forbids it: marking a draft batch paid, approving a paid or discarded one; <c>demo</c> on a
    /// database that holds data (without --force).</summary>
    public const int Conflict = 5;
    /// <summary>No such record, e.g. an unknown payout batch id.</summary>
    public const int NotFound = 6;

    /// <summary>The list above, for --help.</summary>
    public const string Help = "Exit codes: 0 done (also when nothing needed changing), 1 unexpected error, 2 invalid input, "
        + "3 database unreachable or not migrated, 4 nothing to do (no batch: nothing to pay), 5 conflict with the batch's status (demo: the database holds data), "
        + "6 not found.";
}

/// <summary>A failure with a message meant for the user and its exit code; no stack trace.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The streams of one run. <see cref="InteractiveConsole"/>: stdin is a terminal (prompt without echo);
/// <see cref="ErrorIsTerminal"/>: stderr is a terminal (progress bars may redraw themselves).</summary>
internal sealed record CliIo(TextWriter Out, TextWriter Error, TextReader In, bool InteractiveConsole, bool ErrorIsTerminal = false);

/// <summary>Options every command accepts; they override appsettings.json and environment variables.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Database { get; } = new Option<string>("--database")
    {
        Description = "Database engine (overrides Ambassadors:Database): sqlite or postgres.",
        Recursive = true,
    }.AcceptOnlyFromAmong("sqlite", "postgres");

    public Option<string> ConnectionString { get; } = new("--connection-string")
    {
        Description = "Connection string (overrides ConnectionStrings:Ambassadors).",
        HelpName = "connection-string",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log what happens and show stack traces of errors.",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Database);
        root.Options.Add(ConnectionString);
        root.Options.Add(Verbose);
    }
}

internal static class CliActions
{
    /// <summary>Runs <paramref name="run"/> with a <see cref="CliContext"/> and turns failures into messages and exit codes.</summary>
    public static void SetCliAction(this Command command, GlobalOptions globals, CliIo io,
        Func<CliContext, ParseResult, CancellationToken, Task<int>> run)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var verbose = parseResult.GetValue(globals.Verbose);
            CliContext? context = null;
            try
            {
                context = CliContext.Create(parseResult, globals, io);
                return await run(context, parseResult, cancellationToken);
            }
            catch (CliException exception)
            {
                await io.Error.WriteLineAsync($"error: {exception.Message}");
                return exception.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await io.Error.WriteLineAsync("error: cancelled.");
                return ExitCodes.Error;
            }
            catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
            {
                var database = context?.Storage.Describe() ?? "the database";
                await io.Error.WriteLineAsync($"error: cannot reach {database}: {DatabaseErrors.Innermost(exception).Message}");
                if (verbose) await io.Error.WriteLineAsync(exception.ToString());
                return ExitCodes.DatabaseUnavailable;
            }
            catch (Exception exception)
            {
                await io.Error.WriteLineAsync($"error: {exception.Message}");
                if (verbose) await io.Error.WriteLineAsync(exception.ToString());
                return ExitCodes.Error;
            }
            finally
            {
                if (context is not null) await context.DisposeAsync();
            }
        });
    }
}

/// <summary>
/// Configuration and services for one command, built like the web host's: appsettings.json and
/// appsettings.{Environment}.json in the working directory, environment variables, then the global options.
/// </summary>
internal sealed class CliContext : IAsyncDisposable
{
    private CliContext(CliIo io, bool verbose, StorageSettings storage, ServiceProvider services)
    {
        Io = io;
        Verbose = verbose;
        Storage = storage;
        Services = services;
    }

    public CliIo Io { get; }
    public TextWriter Out => Io.Out;
    public TextWriter Error => Io.Error;
    public bool Verbose { get; }
    public StorageSettings Storage { get; }
    public ServiceProvider Services { get; }
    public TimeProvider Clock => Services.GetRequiredService<TimeProvider>();

    public static CliContext Create(ParseResult parseResult, GlobalOptions globals, CliIo io)
    {
        var verbose = parseResult.GetValue(globals.Verbose);
        var configuration = BuildConfiguration(parseResult.GetValue(globals.Database), parseResult.GetValue(globals.ConnectionString));

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            if (verbose)
            {
                logging.SetMinimumLevel(LogLevel.Information);
                logging.AddProvider(new TextWriterLoggerProvider(io.Error));
            }
        });
        StorageSettings storage;
        try
        {
            storage = services.AddAmbassadorsStorage(configuration);
            _ = storage.Describe(); // parses the connection string
        }
        catch (InvalidOperationException exception)
        {
            throw new CliException(ExitCodes.InvalidInput, exception.Message);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw new CliException(ExitCodes.InvalidInput, $"ConnectionStrings:Ambassadors is not a valid connection string: {exception.Message}");
        }
        services.AddIdentityCore<AppUser>(StaffAccounts.ConfigurePasswords).AddEntityFrameworkStores<AppDbContext>();
        services.AddSingleton(TimeProvider.System);
        // As the web host registers them (Ambassadors.Web/Program.cs).
        services.AddSingleton(new PayoutOptions { ProgrammeName = configuration["Ambassadors:ProgrammeName"] ?? "Ambassadors" });
        services.AddSingleton<IPayoutService, PayoutService>();
        return new CliContext(io, verbose, storage, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    private static IConfiguration BuildConfiguration(string? database, string? connectionString)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? "Production";
        var overrides = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(database)) overrides["Ambassadors:Database"] = database;
        if (!string.IsNullOrWhiteSpace(connectionString)) overrides["ConnectionStrings:Ambassadors"] = connectionString;
        try
        {
            return new ConfigurationBuilder()
                .SetBasePath(Directory.GetCurrentDirectory())
                .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
                .AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false)
                .AddEnvironmentVariables()
                .AddInMemoryCollection(overrides)
                .Build();
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException)
        {
            throw new CliException(ExitCodes.InvalidInput, $"cannot read the configuration: {exception.Message}");
        }
    }

    /// <summary>Fails with exit code 3 unless the database exists and has every migration applied.</summary>
    public async Task RequireMigratedAsync(CancellationToken cancellationToken)
    {
        // Checking pending migrations would create an empty SQLite file; a missing file is reason enough.
        if (Storage.SqliteFile is { } file && !File.Exists(file))
        {
            throw new CliException(ExitCodes.DatabaseUnavailable,
                $"{Storage.Describe()} does not exist: run `ambassadors migrate` first.");
        }
        var pending = await Services.GetRequiredService<DatabaseMigrator>().PendingMigrationsAsync(cancellationToken);
        if (pending.Count > 0)
        {
            throw new CliException(ExitCodes.DatabaseUnavailable,
                $"{Storage.Describe()} has pending migrations ({string.Join(", ", pending)}): run `ambassadors migrate` first.");
        }
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>Tells a database that cannot be reached from other errors.</summary>
internal static class DatabaseErrors
{
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // Connection failure (08), authentication (28), no such database, starting up, too many connections.
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("28", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.InvalidCatalogName
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                // Other Npgsql errors are connection, I/O and timeout failures.
                case NpgsqlException:
                    return true;
                // SQLITE_CANTOPEN, SQLITE_NOTADB.
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode is 14 or 26;
                case SocketException or TimeoutException:
                    return true;
                case DbException:
                    return false;
            }
        }
        return false;
    }

    public static Exception Innermost(Exception exception)
    {
        var current = exception;
        while (current.InnerException is not null) current = current.InnerException;
        return current;
    }
}

/// <summary>Writes log lines to stderr under --verbose.</summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(writer, categoryName);

    public void Dispose()
    {
    }

    private sealed class TextWriterLogger(TextWriter writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (writer)
            {
                writer.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {category}: {formatter(state, exception)}");
                if (exception is not null) writer.WriteLine(exception);
            }
        }
    }
}
