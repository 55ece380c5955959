using Ambassadors.Data;
using Ambassadors.Data.Sqlite;
using System.Collections.Concurrent;
using System.Diagnostics;
using Ambassadors.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Ambassadors.Tests.Hosting;

public sealed class SqliteGrainStorageTests(SqliteGrainStorageClusterFixture fixture)
    : IClassFixture<SqliteGrainStorageClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public void Storage_is_registered_as_keyed_grain_storage_under_its_name()
    {
        var storage = fixture.Storage;

        var sqlite = Assert.IsType<SqliteGrainStorage>(storage);
        Assert.Equal(SqliteGrainStorageClusterFixture.StorageName, sqlite.Name);
    }

    [Fact]
    public async Task State_written_survives_deactivation_and_is_read_back()
    {
        var grain = Cluster.GrainFactory.GetGrain<ISqliteAlphaGrain>("survive-" + Guid.NewGuid());

        await grain.SetAsync("hello");
        var before = await grain.GetAsync();
        await Cluster.DeactivateAsync(grain);
        var after = await grain.GetAsync();

        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.Equal("hello", after.Value);
        Assert.Equal(1, after.Writes);
        Assert.True(after.RecordExists);
        Assert.Equal(before.ETag, after.ETag);

        var row = Assert.Single(await fixture.RowsAsync(grain.GetGrainId()));
        Assert.Equal(SqliteAlphaGrain.StateName, row.StateName);
        Assert.Equal(grain.GetGrainId().Type.ToString(), row.GrainType);
        Assert.Equal(after.ETag, row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Grain_classes_with_same_key_and_different_state_names_do_not_collide()
    {
        var key = "shared-" + Guid.NewGuid();
        var alpha = Cluster.GrainFactory.GetGrain<ISqliteAlphaGrain>(key);
        var beta = Cluster.GrainFactory.GetGrain<ISqliteBetaGrain>(key);

        await alpha.SetAsync("from alpha");
        await beta.SetAsync("from beta");
        await beta.SetAsync("from beta again");
        await Cluster.DeactivateAsync(alpha);
        await Cluster.DeactivateAsync(beta);

        var alphaState = await alpha.GetAsync();
        var betaState = await beta.GetAsync();
        Assert.Equal("from alpha", alphaState.Value);
        Assert.Equal(1, alphaState.Writes);
        Assert.Equal("from beta again", betaState.Value);
        Assert.Equal(2, betaState.Writes);

        var rows = await fixture.RowsWithKeyAsync(key);
        Assert.Equal(2, rows.Count);
        Assert.Equal(
            [SqliteAlphaGrain.StateName, SqliteBetaGrain.StateName],
            rows.Select(r => r.StateName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task One_grain_with_two_state_names_keeps_two_rows()
    {
        var grain = Cluster.GrainFactory.GetGrain<ISqliteTwoStateGrain>("two-" + Guid.NewGuid());

        await grain.SetAsync("first value", "second value");
        await Cluster.DeactivateAsync(grain);

        Assert.Equal(("first value", "second value"), await grain.GetAsync());
        var rows = await fixture.RowsAsync(grain.GetGrainId());
        Assert.Equal(
            [SqliteTwoStateGrain.FirstStateName, SqliteTwoStateGrain.SecondStateName],
            rows.Select(r => r.StateName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Write_with_stale_etag_throws_InconsistentStateException()
    {
        var storage = fixture.Storage;
        var grainId = GrainId.Create("sqlite-direct", Guid.NewGuid().ToString("N"));
        const string stateName = "direct";

        var current = new GrainState<SqliteTestState>(new SqliteTestState { Value = "v1" });
        await storage.WriteStateAsync(stateName, grainId, current);
        Assert.NotNull(current.ETag);
        Assert.True(current.RecordExists);
        var stale = new GrainState<SqliteTestState>(new SqliteTestState { Value = "stale" }) { ETag = current.ETag };

        current.State = new SqliteTestState { Value = "v2" };
        await storage.WriteStateAsync(stateName, grainId, current);
        var staleWrite = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(stateName, grainId, stale));

        Assert.Equal(current.ETag, staleWrite.StoredEtag);
        Assert.Equal(stale.ETag, staleWrite.CurrentEtag);
        Assert.Contains("optimistic concurrency", staleWrite.Message, StringComparison.Ordinal);
        Assert.Contains(grainId.ToString(), staleWrite.Message, StringComparison.Ordinal);

        // An insert (null ETag) must not overwrite an existing row either.
        var blind = new GrainState<SqliteTestState>(new SqliteTestState { Value = "blind" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, blind));

        var read = new GrainState<SqliteTestState>();
        await storage.ReadStateAsync(stateName, grainId, read);
        Assert.NotNull(read.State);
        Assert.Equal("v2", read.State.Value);
        Assert.Equal(current.ETag, read.ETag);
        Assert.True(read.RecordExists);

        // Clearing with a stale ETag is rejected too and leaves the row alone.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(stateName, grainId, stale));
        Assert.Single(await fixture.RowsAsync(grainId));

        // After clear + re-create, an ETag from before the clear still does not match (no ABA).
        await storage.ClearStateAsync(stateName, grainId, read);
        var recreated = new GrainState<SqliteTestState>(new SqliteTestState { Value = "v3" });
        await storage.WriteStateAsync(stateName, grainId, recreated);
        var beforeClear = new GrainState<SqliteTestState>(new SqliteTestState { Value = "old" }) { ETag = current.ETag };
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(stateName, grainId, beforeClear));
    }

    [Fact]
    public async Task Clear_removes_the_row_and_resets_state()
    {
        var grain = Cluster.GrainFactory.GetGrain<ISqliteAlphaGrain>("clear-" + Guid.NewGuid());
        await grain.SetAsync("to be cleared");
        Assert.Single(await fixture.RowsAsync(grain.GetGrainId()));

        var cleared = await grain.ClearAsync();

        Assert.Empty(await fixture.RowsAsync(grain.GetGrainId()));
        Assert.Null(cleared.Value);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.ETag);

        await Cluster.DeactivateAsync(grain);
        var reactivated = await grain.GetAsync();
        Assert.Null(reactivated.Value);
        Assert.False(reactivated.RecordExists);

        // Writing again after a clear inserts a fresh row.
        await grain.SetAsync("back again");
        Assert.Single(await fixture.RowsAsync(grain.GetGrainId()));
    }

    [Fact]
    public async Task Twenty_concurrent_grain_writes_to_different_grains_all_persist()
    {
        var prefix = "concurrent-" + Guid.NewGuid().ToString("N") + "-";
        var grains = Enumerable.Range(0, 20)
            .Select(i => Cluster.GrainFactory.GetGrain<ISqliteAlphaGrain>(prefix + i))
            .ToArray();

        await Task.WhenAll(grains.Select((g, i) => g.SetAsync("value " + i)));

        Assert.Equal(20, await fixture.CountRowsWithKeyPrefixAsync(prefix));
        await Task.WhenAll(grains.Select(g => Cluster.DeactivateAsync(g)));
        var values = await Task.WhenAll(grains.Select(g => g.GetAsync()));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "value " + i), values.Select(v => v.Value));
    }

    [Fact]
    public async Task Busy_database_is_waited_out_and_retries_are_bounded()
    {
        var serializer = fixture.SiloServices.GetRequiredService<IGrainStorageSerializer>();
        var patientLog = new SqliteGrainStorageTestLogger();
        var impatientLog = new SqliteGrainStorageTestLogger();
        var patient = new SqliteGrainStorage(
            "patient", fixture.ConnectionString, serializer, patientLog, TimeSpan.FromMilliseconds(100), maxAttempts: 10);
        var impatient = new SqliteGrainStorage(
            "impatient", fixture.ConnectionString, serializer, impatientLog, TimeSpan.FromMilliseconds(100), maxAttempts: 1);
        var grain = Cluster.GrainFactory.GetGrain<ISqliteAlphaGrain>("busy-" + Guid.NewGuid());

        // Stand-in for EF Core holding the write lock on the same WAL database.
        await using (var blocker = new SqliteConnection(fixture.ConnectionString))
        {
            await blocker.OpenAsync();
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync();
            }

            var patientWrite = Task.Run(() => patient.WriteStateAsync(
                "busy", GrainId.Create("sqlite-busy", Guid.NewGuid().ToString("N")), new GrainState<SqliteTestState>(new SqliteTestState { Value = "p" })));
            var impatientWrite = Task.Run(() => impatient.WriteStateAsync(
                "busy", GrainId.Create("sqlite-busy", Guid.NewGuid().ToString("N")), new GrainState<SqliteTestState>(new SqliteTestState { Value = "i" })));
            var grainWrite = grain.SetAsync("waited");

            // One attempt only: SQLITE_BUSY surfaces once SQLite's and Microsoft.Data.Sqlite's waits run out.
            var busy = await Assert.ThrowsAsync<SqliteException>(() => impatientWrite);
            Assert.Equal(5, busy.SqliteErrorCode);
            Assert.Contains(impatientLog.Messages, m => m.Contains("giving up", StringComparison.Ordinal));

            // Hold the lock until the patient storage has had to back off and retry at least once.
            var deadline = Stopwatch.StartNew();
            while (!patientLog.Messages.Any(m => m.Contains("retrying", StringComparison.Ordinal)))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "patient storage never retried");
                await Task.Delay(20);
            }

            Assert.False(patientWrite.IsCompleted);
            Assert.False(grainWrite.IsCompleted);

            await using (var commit = blocker.CreateCommand())
            {
                commit.CommandText = "COMMIT;";
                await commit.ExecuteNonQueryAsync();
            }

            await patientWrite.WaitAsync(TimeSpan.FromSeconds(10));
            await grainWrite.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal("waited", (await grain.GetAsync()).Value);
    }

    [Fact]
    public async Task Missing_table_reports_how_to_create_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ambassadors-grains-empty-{Guid.NewGuid():N}.db");
        try
        {
            var storage = new SqliteGrainStorage(
                "empty",
                $"Data Source={path};Pooling=False",
                fixture.SiloServices.GetRequiredService<IGrainStorageSerializer>(),
                NullLogger<SqliteGrainStorage>.Instance);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadStateAsync(
                "x", GrainId.Create("sqlite-empty", "k"), new GrainState<SqliteTestState>()));

            Assert.Contains(nameof(SqliteGrainStorageSchema.CreateScript), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

internal sealed class SqliteGrainStorageTestLogger : ILogger
{
    private readonly ConcurrentQueue<string> messages = new();

    public IReadOnlyCollection<string> Messages => messages;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => messages.Enqueue(formatter(state, exception));
}

/// <summary>One in-process silo whose "grains" storage is <see cref="SqliteGrainStorage"/> on a temp SQLite file.</summary>
public sealed class SqliteGrainStorageClusterFixture : IAsyncLifetime
{
    public const string StorageName = "grains";
    private const string ConnectionStringKey = "SqliteGrainStorageTests:ConnectionString";

    private readonly string path = Path.Combine(Path.GetTempPath(), $"ambassadors-grains-{Guid.NewGuid():N}.db");
    private TestCluster? cluster;

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    public TestCluster Cluster => cluster ?? throw new InvalidOperationException("Cluster not started.");

    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider(
        (Cluster.Primary ?? throw new InvalidOperationException("No primary silo.")).SiloAddress);

    public IGrainStorage Storage => SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public async Task InitializeAsync()
    {
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // Same file setup as the app: WAL journal, then the migration's DDL.
            command.CommandText = "PRAGMA journal_mode = WAL;" + SqliteGrainStorageSchema.CreateScript;
            await command.ExecuteNonQueryAsync();
        }

        var builder = new TestClusterBuilder(1);
        var connectionString = ConnectionString;
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(
            new Dictionary<string, string?> { [ConnectionStringKey] = connectionString }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }

    public async Task<IReadOnlyList<StoredRow>> RowsAsync(GrainId grainId)
        => await QueryRowsAsync("WHERE GrainId = $value", grainId.ToString());

    public async Task<IReadOnlyList<StoredRow>> RowsWithKeyAsync(string key)
        => (await QueryRowsAsync("WHERE GrainId LIKE $value", "%/" + key))
            .Where(r => r.GrainId.EndsWith("/" + key, StringComparison.Ordinal))
            .ToList();

    public async Task<long> CountRowsWithKeyPrefixAsync(string prefix)
        => (await QueryRowsAsync("WHERE GrainId LIKE $value", "%/" + prefix + "%")).Count;

    private async Task<IReadOnlyList<StoredRow>> QueryRowsAsync(string where, string value)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT StateName, GrainId, GrainType, Version FROM {SqliteGrainStorageSchema.TableName} {where};";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return rows;
    }

    public sealed record StoredRow(string StateName, string GrainId, string GrainType, long Version);

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
            => siloBuilder.AddSqliteGrainStorage(
                StorageName,
                services => services.GetRequiredService<IConfiguration>()[ConnectionStringKey]
                    ?? throw new InvalidOperationException($"{ConnectionStringKey} is not configured."));
    }
}

[GenerateSerializer]
public sealed class SqliteTestState
{
    [Id(0)] public string? Value { get; set; }
    [Id(1)] public int Writes { get; set; }
}

[GenerateSerializer]
public sealed record SqliteStateSnapshot(
    [property: Id(0)] string? Value,
    [property: Id(1)] int Writes,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] string? ETag,
    [property: Id(4)] Guid ActivationId);

public interface ISqliteStateGrain : IGrainWithStringKey
{
    Task SetAsync(string value);
    Task<SqliteStateSnapshot> GetAsync();
    Task<SqliteStateSnapshot> ClearAsync();
}

public interface ISqliteAlphaGrain : ISqliteStateGrain;

public interface ISqliteBetaGrain : ISqliteStateGrain;

public interface ISqliteTwoStateGrain : IGrainWithStringKey
{
    Task SetAsync(string firstValue, string secondValue);
    Task<(string? First, string? Second)> GetAsync();
}

public abstract class SqliteStateGrainBase(IPersistentState<SqliteTestState> state) : Grain, ISqliteStateGrain
{
    private readonly Guid activationId = Guid.NewGuid();

    public async Task SetAsync(string value)
    {
        state.State.Value = value;
        state.State.Writes++;
        await state.WriteStateAsync();
    }

    public Task<SqliteStateSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<SqliteStateSnapshot> ClearAsync()
    {
        await state.ClearStateAsync();
        return Snapshot();
    }

    private SqliteStateSnapshot Snapshot()
        => new(state.State.Value, state.State.Writes, state.RecordExists, state.Etag, activationId);
}

public sealed class SqliteAlphaGrain(
    [PersistentState(SqliteAlphaGrain.StateName, SqliteGrainStorageClusterFixture.StorageName)]
    IPersistentState<SqliteTestState> state) : SqliteStateGrainBase(state), ISqliteAlphaGrain
{
    public const string StateName = "alpha";
}

public sealed class SqliteBetaGrain(
    [PersistentState(SqliteBetaGrain.StateName, SqliteGrainStorageClusterFixture.StorageName)]
    IPersistentState<SqliteTestState> state) : SqliteStateGrainBase(state), ISqliteBetaGrain
{
    public const string StateName = "beta";
}

public sealed class SqliteTwoStateGrain(
    [PersistentState(SqliteTwoStateGrain.FirstStateName, SqliteGrainStorageClusterFixture.StorageName)]
    IPersistentState<SqliteTestState> first,
    [PersistentState(SqliteTwoStateGrain.SecondStateName, SqliteGrainStorageClusterFixture.StorageName)]
    IPersistentState<SqliteTestState> second) : Grain, ISqliteTwoStateGrain
{
    public const string FirstStateName = "first";
    public const string SecondStateName = "second";

    public async Task SetAsync(string firstValue, string secondValue)
    {
        first.State.Value = firstValue;
        second.State.Value = secondValue;
        await first.WriteStateAsync();
        await second.WriteStateAsync();
    }

    public Task<(string? First, string? Second)> GetAsync()
        => Task.FromResult((first.State.Value, second.State.Value));
}
