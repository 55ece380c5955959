using Ambassadors.Data;
using Ambassadors.Data.Sqlite;
using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Ambassadors.Web.Hosting;

/// <summary>
/// Orleans grain storage that keeps each grain state as one row of the <c>OrleansGrainState</c> table
/// (see <see cref="SqliteGrainStorageSchema"/>) in the app's SQLite file.
/// </summary>
/// <remarks>
/// <para>
/// Rows are keyed by (state name, <see cref="GrainId"/> string), so two grain classes with different state
/// names never collide. The payload is produced by the <see cref="IGrainStorageSerializer"/> registered in DI.
/// </para>
/// <para>
/// Optimistic concurrency: the ETag is the row's <c>Version</c> as a string. A write with a null ETag inserts
/// and fails if a row already exists; a write with an ETag updates only if the stored version still matches.
/// A mismatch throws <see cref="InconsistentStateException"/>. A newly inserted row starts at a random
/// version rather than 1, so an ETag held by a stale activation from before a clear can never match the row
/// that replaces it (no ABA after delete + re-insert).
/// </para>
/// <para>
/// A connection is opened per operation (Microsoft.Data.Sqlite pools them). The file is shared with EF Core
/// (WAL journal), so every connection sets <c>PRAGMA busy_timeout</c>, every statement is a single autocommit
/// statement (takes the write lock up front; safe to retry), and an operation that still fails with
/// SQLITE_BUSY/SQLITE_LOCKED is retried a bounded number of times with a short, jittered, async backoff.
/// Writes from this silo are queued on an async gate first, so they contend only with other processes and
/// connections (EF Core), not with each other. Microsoft.Data.Sqlite is synchronous underneath: while the
/// file is locked, one attempt blocks its thread for about the busy timeout (at least ~1 s, because
/// Microsoft.Data.Sqlite keeps retrying a busy statement until its whole-second command timeout).
/// </para>
/// </remarks>
public sealed partial class SqliteGrainStorage : IGrainStorage
{
    /// <summary>How long SQLite waits on a locked database inside one statement before reporting busy.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How many times an operation is tried in all when the database stays busy.</summary>
    public const int DefaultMaxAttempts = 5;

    private const int SqliteError = 1;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const long MaxInitialVersion = 1L << 62;
    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(50);

    private const string SelectSql = """
        SELECT "Payload", "Version" FROM "OrleansGrainState"
        WHERE "StateName" = $stateName AND "GrainId" = $grainId;
        """;

    private const string SelectVersionSql = """
        SELECT "Version" FROM "OrleansGrainState"
        WHERE "StateName" = $stateName AND "GrainId" = $grainId;
        """;

    private const string InsertSql = """
        INSERT INTO "OrleansGrainState" ("StateName", "GrainId", "GrainType", "Payload", "Version", "UpdatedAt")
        VALUES ($stateName, $grainId, $grainType, $payload, $newVersion, $updatedAt)
        ON CONFLICT ("StateName", "GrainId") DO NOTHING;
        """;

    private const string UpdateSql = """
        UPDATE "OrleansGrainState"
        SET "Payload" = $payload, "Version" = $newVersion, "GrainType" = $grainType, "UpdatedAt" = $updatedAt
        WHERE "StateName" = $stateName AND "GrainId" = $grainId AND "Version" = $expectedVersion;
        """;

    private const string DeleteSql = """
        DELETE FROM "OrleansGrainState"
        WHERE "StateName" = $stateName AND "GrainId" = $grainId AND "Version" = $expectedVersion;
        """;

    private readonly string name;
    private readonly string connectionString;
    private readonly IGrainStorageSerializer serializer;
    private readonly ILogger logger;
    private readonly int busyTimeoutMilliseconds;
    private readonly int commandTimeoutSeconds;
    private readonly int maxAttempts;

    // SQLite allows one writer per file anyway: queue this silo's writes here, asynchronously, instead of
    // letting each one block a thread-pool thread inside SQLite's busy wait.
    private readonly SemaphoreSlim writeGate = new(1, 1);

    public SqliteGrainStorage(
        string name,
        string connectionString,
        IGrainStorageSerializer serializer,
        ILogger<SqliteGrainStorage> logger)
        : this(name, connectionString, serializer, logger, DefaultBusyTimeout, DefaultMaxAttempts)
    {
    }

    internal SqliteGrainStorage(
        string name,
        string connectionString,
        IGrainStorageSerializer serializer,
        ILogger logger,
        TimeSpan busyTimeout,
        int maxAttempts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);

        this.name = name;
        // Parse now so a malformed connection string fails at startup, not at the first grain activation.
        this.connectionString = new SqliteConnectionStringBuilder(connectionString).ConnectionString;
        this.serializer = serializer;
        this.logger = logger;
        this.maxAttempts = maxAttempts;
        busyTimeoutMilliseconds = (int)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds);
        // Microsoft.Data.Sqlite also retries busy statements itself (150 ms sleeps) until CommandTimeout;
        // keep that no longer than SQLite's own wait so one attempt stays bounded.
        commandTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
    }

    /// <summary>The provider name this storage was registered under.</summary>
    public string Name => name;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        var key = grainId.ToString();

        var (payload, version) = await ExecuteAsync(
            writes: false,
            "read",
            stateName,
            key,
            async (connection, ct) =>
            {
                await using var command = CreateCommand(connection, SelectSql, stateName, key);
                await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, ct);
                if (!await reader.ReadAsync(ct))
                {
                    return ((byte[]?)null, 0L);
                }

                return (reader.GetFieldValue<byte[]>(0), reader.GetInt64(1));
            },
            cancellationToken);

        if (payload is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            ResetState(grainState);
            return;
        }

        T? state;
        try
        {
            state = serializer.Deserialize<T>(new BinaryData(payload));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"Grain storage '{name}' could not deserialize state '{stateName}' of grain '{key}' " +
                $"(version {version}, {payload.Length} bytes) as {typeof(T).FullName}. " +
                "The stored payload was written by an incompatible state type or serializer.",
                ex);
        }

        grainState.State = state!;
        grainState.ETag = FormatVersion(version);
        grainState.RecordExists = true;
        LogRead(logger, name, stateName, key, version);
    }

    public async Task WriteStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        var key = grainId.ToString();
        var grainType = grainId.Type.ToString();
        var expectedVersion = ParseETag(grainState.ETag, "write", stateName, key);
        var payload = serializer.Serialize(grainState.State).ToArray();

        var newVersion = await ExecuteAsync(
            writes: true,
            "write",
            stateName,
            key,
            async (connection, ct) =>
            {
                var next = expectedVersion is { } expected
                    ? expected + 1
                    : Random.Shared.NextInt64(1, MaxInitialVersion);

                await using var command = CreateCommand(
                    connection, expectedVersion is null ? InsertSql : UpdateSql, stateName, key);
                command.Parameters.AddWithValue("$grainType", grainType);
                command.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
                command.Parameters.AddWithValue("$newVersion", next);
                command.Parameters.AddWithValue("$updatedAt", Timestamp());
                if (expectedVersion is { } expectedValue)
                {
                    command.Parameters.AddWithValue("$expectedVersion", expectedValue);
                }

                if (await command.ExecuteNonQueryAsync(ct) == 1)
                {
                    return next;
                }

                var stored = await ReadVersionAsync(connection, stateName, key, ct);
                throw Conflict("write", stateName, key, stored, grainState.ETag);
            },
            cancellationToken);

        grainState.ETag = FormatVersion(newVersion);
        grainState.RecordExists = true;
        LogWrote(logger, name, stateName, key, newVersion);
    }

    public async Task ClearStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        var key = grainId.ToString();
        var expectedVersion = ParseETag(grainState.ETag, "clear", stateName, key);

        await ExecuteAsync(
            writes: true,
            "clear",
            stateName,
            key,
            async (connection, ct) =>
            {
                if (expectedVersion is { } expected)
                {
                    await using var command = CreateCommand(connection, DeleteSql, stateName, key);
                    command.Parameters.AddWithValue("$expectedVersion", expected);
                    if (await command.ExecuteNonQueryAsync(ct) == 1)
                    {
                        return true;
                    }
                }

                // No ETag: this activation never saw a row, so there is nothing it may delete. Fine if there
                // is still no row; a row written meanwhile by someone else is a conflict, as for writes.
                var stored = await ReadVersionAsync(connection, stateName, key, ct);
                if (expectedVersion is null && stored is null)
                {
                    return true;
                }

                throw Conflict("clear", stateName, key, stored, grainState.ETag);
            },
            cancellationToken);

        grainState.ETag = null;
        grainState.RecordExists = false;
        ResetState(grainState);
        LogCleared(logger, name, stateName, key);
    }

    private async Task<TResult> ExecuteAsync<TResult>(
        bool writes,
        string operation,
        string stateName,
        string grainId,
        Func<SqliteConnection, CancellationToken, Task<TResult>> action,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan delay;
            var gated = false;
            try
            {
                if (writes)
                {
                    await writeGate.WaitAsync(cancellationToken);
                    gated = true;
                }

                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using (var pragma = connection.CreateCommand())
                {
                    pragma.CommandText = "PRAGMA busy_timeout = " +
                        busyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture) + ";";
                    pragma.CommandTimeout = commandTimeoutSeconds;
                    await pragma.ExecuteNonQueryAsync(cancellationToken);
                }

                return await action(connection, cancellationToken);
            }
            catch (SqliteException ex) when (IsBusy(ex) && attempt < maxAttempts)
            {
                delay = BaseBackoff * Math.Pow(2, attempt - 1)
                    + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 25));
                LogBusyRetry(logger, ex, name, operation, stateName, grainId, attempt, maxAttempts, delay.TotalMilliseconds);
            }
            catch (SqliteException ex) when (IsBusy(ex))
            {
                LogBusyGaveUp(logger, ex, name, operation, stateName, grainId, attempt);
                throw;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteError
                && ex.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Grain storage '{name}' cannot {operation} state '{stateName}' of grain '{grainId}': " +
                    $"table {SqliteGrainStorageSchema.TableName} does not exist in the SQLite database. " +
                    $"Apply the EF Core migrations (they run {nameof(SqliteGrainStorageSchema)}." +
                    $"{nameof(SqliteGrainStorageSchema.CreateScript)}) before starting the silo.",
                    ex);
            }
            finally
            {
                if (gated)
                {
                    writeGate.Release();
                }
            }

            // Back off outside the gate, so other writes of this silo can go meanwhile.
            await Task.Delay(delay, cancellationToken);
        }
    }

    private SqliteCommand CreateCommand(SqliteConnection connection, string sql, string stateName, string grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = commandTimeoutSeconds;
        command.Parameters.AddWithValue("$stateName", stateName);
        command.Parameters.AddWithValue("$grainId", grainId);
        return command;
    }

    private async Task<long?> ReadVersionAsync(
        SqliteConnection connection, string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, SelectVersionSql, stateName, grainId);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private long? ParseETag(string? etag, string operation, string stateName, string grainId)
    {
        if (etag is null)
        {
            return null;
        }

        if (long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }

        throw new InconsistentStateException(
            $"Grain storage '{name}' refused to {operation} state '{stateName}' of grain '{grainId}': " +
            $"ETag '{etag}' is not a version issued by this storage (expected an integer). " +
            "Was the state read through a different storage provider?",
            "unknown",
            etag);
    }

    private InconsistentStateException Conflict(
        string operation, string stateName, string grainId, long? storedVersion, string? currentETag)
    {
        var stored = storedVersion is { } v ? FormatVersion(v) : null;
        var storedText = stored is null ? "no row" : $"version {stored}";
        var expectedText = currentETag is null ? "no row (ETag null)" : $"version {currentETag}";
        LogConflict(logger, name, operation, stateName, grainId, storedText, expectedText);
        return new InconsistentStateException(
            $"Grain storage '{name}': {operation} of state '{stateName}' for grain '{grainId}' was rejected " +
            $"by the optimistic concurrency check: storage holds {storedText}, this activation expected " +
            $"{expectedText}. Another activation or process changed the state since it was last read; " +
            "re-read the state (or deactivate the grain) before writing again.",
            stored ?? "none",
            currentETag ?? "none");
    }

    private static bool IsBusy(SqliteException ex)
        => (ex.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked;

    private static string FormatVersion(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static string Timestamp() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static void ResetState<T>(IGrainState<T> grainState)
    {
        // Same as a fresh activation would see; leave types without a parameterless constructor alone.
        if (typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is not null)
        {
            grainState.State = Activator.CreateInstance<T>();
        }
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Grain storage {Provider} read {StateName} of {GrainId} at version {Version}")]
    private static partial void LogRead(ILogger logger, string provider, string stateName, string grainId, long version);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Grain storage {Provider} wrote {StateName} of {GrainId}, now version {Version}")]
    private static partial void LogWrote(ILogger logger, string provider, string stateName, string grainId, long version);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Grain storage {Provider} cleared {StateName} of {GrainId}")]
    private static partial void LogCleared(ILogger logger, string provider, string stateName, string grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {Provider}: {Operation} of {StateName} for {GrainId} rejected: storage holds {Stored}, activation expected {Expected}")]
    private static partial void LogConflict(ILogger logger, string provider, string operation, string stateName, string grainId, string stored, string expected);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Grain storage {Provider}: SQLite busy during {Operation} of {StateName} for {GrainId} (attempt {Attempt} of {MaxAttempts}); retrying in {DelayMs} ms")]
    private static partial void LogBusyRetry(ILogger logger, Exception exception, string provider, string operation, string stateName, string grainId, int attempt, int maxAttempts, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain storage {Provider}: SQLite still busy during {Operation} of {StateName} for {GrainId} after {Attempts} attempts; giving up")]
    private static partial void LogBusyGaveUp(ILogger logger, Exception exception, string provider, string operation, string stateName, string grainId, int attempts);
}
