using Ambassadors.Data;
using Ambassadors.Data.Postgres;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Ambassadors.Tests.Hosting;

/// <summary>
/// Runs the Orleans ADO.NET providers (clustering, grain storage) against
/// <see cref="OrleansPostgresSchema"/> on a real PostgreSQL server. Each test creates and drops its own database.
/// Set AMBASSADORS_TEST_POSTGRES to an Npgsql connection string for an administrative role on the
/// <c>postgres</c> database, e.g. <c>Host=localhost;Username=ambassadors;Password=ambassadors;Database=postgres</c>.
/// </summary>
public sealed class OrleansPostgresTests
{
    internal const string EnvironmentVariable = "AMBASSADORS_TEST_POSTGRES";
    internal const string SkipMessage = "PostgreSQL not configured: set AMBASSADORS_TEST_POSTGRES";
    internal const string ConnectionStringKey = "AmbassadorsOrleansPostgresTest:ConnectionString";
    internal const string StorageName = "ambassadorsPgStore";
    internal const string DeletingStorageName = "ambassadorsPgDeletingStore";
    internal const string StateName = "ambassadorsPgState";
    internal const string DeletingStateName = "ambassadorsPgDeletingState";

    private static readonly string[] ExpectedQueryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteStorageKey",
        "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
        "MembershipReadRowKey", "ReadFromStorageKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "WriteToStorageKey",
    ];

    /// <summary>The reminder queries the OrleansTables migration made and the Renovation migration removes.</summary>
    private static readonly string[] ReminderQueryKeys =
    [
        "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
        "ReadReminderRowsKey", "UpsertReminderRowKey",
    ];

    private static readonly string[] OrleansTables =
    [
        "orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "orleansstorage",
    ];

    [SkippableFact]
    public async Task Scripts_RunAsOneBatch_AndReplayTheMigrationsUpAndDown()
    {
        // As the migrations leave it: OrleansTables' CreateScript, then Renovation's DropRemindersScript.
        await using var database = await ScratchDatabase.CreateAsync();
        await AssertSchemaAsync(database, ExpectedQueryKeys, OrleansTables);

        // Renovation's Down runs CreateScript again over the existing schema: the reminder parts come back.
        await database.ExecuteBatchAsync(OrleansPostgresSchema.CreateScript);
        await AssertSchemaAsync(database, [.. ExpectedQueryKeys, .. ReminderQueryKeys], [.. OrleansTables, "orleansreminderstable"]);

        // Renovation's Up again.
        await database.ExecuteBatchAsync(OrleansPostgresSchema.DropRemindersScript);
        await AssertSchemaAsync(database, ExpectedQueryKeys, OrleansTables);

        // OrleansTables' Down removes everything, and its Up works again after it.
        await database.ExecuteBatchAsync(OrleansPostgresSchema.DropScript);
        Assert.Empty(await database.QueryListAsync<string>(TablesQuery));
        Assert.Empty(await database.QueryListAsync<string>(
            "SELECT relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = 'public' AND relname LIKE 'orleans%'"));
        await database.ExecuteBatchAsync(OrleansPostgresSchema.CreateScript);
        await AssertSchemaAsync(database, [.. ExpectedQueryKeys, .. ReminderQueryKeys], [.. OrleansTables, "orleansreminderstable"]);
    }

    private static async Task AssertSchemaAsync(ScratchDatabase database, string[] queryKeys, string[] tables)
    {
        var keys = await database.QueryListAsync<string>("SELECT QueryKey FROM OrleansQuery");
        Assert.Equal(queryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.Equal(tables.Order(StringComparer.Ordinal), await database.QueryListAsync<string>(TablesQuery));
    }

    [SkippableFact]
    public async Task GrainState_WrittenThroughOneSilo_IsReadThroughTheOther_WithVersionsAndClear()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var cluster = await PostgresCluster.StartAsync(database.ConnectionString);
        var key = "state-" + Guid.NewGuid();
        var grain = cluster.Client.GetGrain<IPgStateTestGrain>(key);

        // The placement hint only matters when a call creates an activation.
        var initial = await cluster.OnSilo(0, () => grain.Read(deleting: false));
        Assert.Equal(cluster.SiloAddressOf(0), initial.Silo);
        Assert.False(initial.RecordExists);
        Assert.Null(initial.ETag);
        Assert.Null(initial.Text);

        // Two writes in a row: each must return a new version, or Orleans would report a conflict.
        var first = await grain.Write("first", deleting: false);
        var second = await grain.Write("second", deleting: false);
        Assert.Equal(cluster.SiloAddressOf(0), second.Silo);
        Assert.True(first.RecordExists);
        Assert.NotNull(first.ETag);
        Assert.NotNull(second.ETag);
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(
            [(StateName, int.Parse(second.ETag!), true)],
            await database.QueryListAsync(
                "SELECT GrainTypeString, Version, PayloadBinary IS NOT NULL FROM OrleansStorage",
                r => (r.GetString(0), r.GetInt32(1), r.GetBoolean(2))));

        // Deactivate, then activate again: the new activation loads the state from PostgreSQL.
        await grain.Deactivate();
        await cluster.WaitUntilDeactivatedAsync(grain);
        var reloaded = await cluster.OnSilo(0, () => grain.Read(deleting: false));
        Assert.NotEqual(second.ActivationId, reloaded.ActivationId);
        Assert.Equal("second", reloaded.Text);
        Assert.Equal(second.ETag, reloaded.ETag);
        Assert.True(reloaded.RecordExists);

        // Through the other silo: stop the silo hosting the grain, so the next activation is on the other one.
        // (Placement alone cannot force this: a silo whose directory cache still points at the old activation
        // re-activates the grain where it was.)
        var hosting = cluster.IndexOfSilo(reloaded.Silo);
        var other = 1 - hosting;
        await cluster.StopSiloAsync(hosting);
        Assert.Equal(
            [(int)SiloStatus.Dead],
            await database.QueryListAsync<int>(
                "SELECT Status FROM OrleansMembershipTable WHERE Address || ':' || Port || '@' || Generation = @Silo",
                ("Silo", cluster.SiloAddresses[hosting])));
        var onOtherSilo = await grain.Read(deleting: false);
        Assert.Equal(cluster.SiloAddresses[other], onOtherSilo.Silo);
        Assert.NotEqual(reloaded.ActivationId, onOtherSilo.ActivationId);
        Assert.Equal("second", onOtherSilo.Text);
        Assert.Equal(second.ETag, onOtherSilo.ETag);
        Assert.True(onOtherSilo.RecordExists);

        // Clear keeps the row (payload NULL) and moves the version on; writing afterwards works.
        var cleared = await grain.Clear(deleting: false);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.Text);
        Assert.NotNull(cleared.ETag);
        Assert.NotEqual(second.ETag, cleared.ETag);
        Assert.Equal(
            [(int.Parse(cleared.ETag!), false)],
            await database.QueryListAsync(
                "SELECT Version, PayloadBinary IS NOT NULL FROM OrleansStorage",
                r => (r.GetInt32(0), r.GetBoolean(1))));
        var third = await grain.Write("third", deleting: false);
        Assert.NotEqual(cleared.ETag, third.ETag);

        await grain.Deactivate();
        await cluster.WaitUntilDeactivatedAsync(grain);
        var afterClear = await grain.Read(deleting: false);
        Assert.NotEqual(third.ActivationId, afterClear.ActivationId);
        Assert.Equal("third", afterClear.Text);
        Assert.Equal(third.ETag, afterClear.ETag);

        // A version changed behind the grain's back is a conflict, not a silent overwrite.
        await database.ExecuteBatchAsync("UPDATE OrleansStorage SET Version = Version + 10");
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Write("lost", deleting: false));

        // A string key made only of hex digits reaches storage as an integer key with no key extension
        // (GrainIdN1 holds the number, the NULL extension is stored as ''); it must round-trip all the same.
        var hexGrain = cluster.Client.GetGrain<IPgStateTestGrain>("abc123");
        var hexWritten = await hexGrain.Write("hex", deleting: false);
        await hexGrain.Deactivate();
        await cluster.WaitUntilDeactivatedAsync(hexGrain);
        var hexRead = await hexGrain.Read(deleting: false);
        Assert.NotEqual(hexWritten.ActivationId, hexRead.ActivationId);
        Assert.Equal("hex", hexRead.Text);
        Assert.Equal(hexWritten.ETag, hexRead.ETag);
        Assert.Equal(
            [(0L, 0xabc123L, "")],
            await database.QueryListAsync(
                "SELECT GrainIdN0, GrainIdN1, GrainIdExtensionString FROM OrleansStorage WHERE GrainIdN1 <> 0",
                r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2))));

        // A provider with DeleteStateOnClear removes the row.
        var deletingGrain = cluster.Client.GetGrain<IPgStateTestGrain>("deleting-" + Guid.NewGuid());
        var written = await deletingGrain.Write("to be deleted", deleting: true);
        Assert.True(written.RecordExists);
        Assert.Equal(1L, await CountStorageRowsAsync(database, DeletingStateName));
        var deleted = await deletingGrain.Clear(deleting: true);
        Assert.False(deleted.RecordExists);
        Assert.Null(deleted.ETag);
        Assert.Equal(0L, await CountStorageRowsAsync(database, DeletingStateName));
        var rewritten = await deletingGrain.Write("again", deleting: true);
        Assert.NotNull(rewritten.ETag);
        Assert.Equal(1L, await CountStorageRowsAsync(database, DeletingStateName));
    }

    [SkippableFact]
    public async Task Membership_ShowsBothSilosActive()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var cluster = await PostgresCluster.StartAsync(database.ConnectionString);

        var expected = new[] { cluster.SiloAddressOf(0), cluster.SiloAddressOf(1) }.Order(StringComparer.Ordinal).ToList();
        List<(string Silo, int Status)> rows = [];
        var stopwatch = Stopwatch.StartNew();
        do
        {
            rows = await database.QueryListAsync(
                "SELECT Address || ':' || Port || '@' || Generation, Status FROM OrleansMembershipTable " +
                "WHERE DeploymentId = @DeploymentId ORDER BY 1",
                r => (r.GetString(0), r.GetInt32(1)),
                ("DeploymentId", cluster.ClusterId));
            if (rows.Count == 2 && rows.All(r => r.Status == (int)SiloStatus.Active))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Equal(expected.Select(s => (s, (int)SiloStatus.Active)), rows.OrderBy(r => r.Silo, StringComparer.Ordinal));

        // Orleans' own view, read through the membership queries.
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);
        Assert.All(hosts.Values, status => Assert.Equal(SiloStatus.Active, status));
        Assert.Single(await database.QueryListAsync<int>(
            "SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId",
            ("DeploymentId", cluster.ClusterId)));

        // The client found both gateways through the gateway query.
        var gateways = await cluster.Client.ServiceProvider.GetRequiredService<IGatewayListProvider>().GetGateways();
        Assert.Equal(2, gateways.Count);

        // The remaining membership queries, run by the silo's own provider.
        var table = cluster.ServiceOf<IMembershipTable>(0);
        var all = await table.ReadAllAsync();
        Assert.Equal(expected, all.Members.Select(m => PostgresCluster.Format(m.Item1.SiloAddress)).Order(StringComparer.Ordinal));
        Assert.All(all.Members, m => Assert.Equal(all.Version.VersionEtag, m.Item2));
        var own = Assert.Single((await table.ReadRowAsync(cluster.SiloAddressObjectOf(0))).Members).Item1;
        Assert.Equal(cluster.SiloAddressOf(0), PostgresCluster.Format(own.SiloAddress));

        var aliveAt = TruncateToMicroseconds(DateTime.UtcNow.AddMinutes(1));
        own.IAmAliveTime = aliveAt;
        await table.UpdateIAmAliveAsync(own);
        Assert.Equal(
            [aliveAt],
            await database.QueryListAsync(
                "SELECT IAmAliveTime FROM OrleansMembershipTable WHERE Port = @Port",
                r => r.GetDateTime(0),
                ("Port", own.SiloAddress.Endpoint.Port)));

        // A stale table version changes nothing.
        var defunct = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 1, 1),
            SiloName = "defunct",
            HostName = "defunct",
            Status = SiloStatus.Dead,
            ProxyPort = 0,
            StartTime = DateTime.UtcNow.AddHours(-2),
            IAmAliveTime = DateTime.UtcNow.AddHours(-1),
        };
        var stale = new TableVersion(all.Version.Version - 1, (int.Parse(all.Version.VersionEtag) - 1).ToString());
        Assert.False(await table.InsertRowAsync(defunct, stale.Next()));
        Assert.False(await table.UpdateRowAsync(own, stale.VersionEtag, stale.Next()));
        var unchanged = await table.ReadAllAsync();
        Assert.Equal(all.Version.VersionEtag, unchanged.Version.VersionEtag);
        Assert.Equal(2, unchanged.Members.Count);

        // With the current version the insert succeeds and moves the version on (retry: the silos write too).
        var inserted = false;
        for (var attempt = 0; attempt < 5 && !inserted; attempt++)
        {
            inserted = await table.InsertRowAsync(defunct, (await table.ReadAllAsync()).Version.Next());
        }

        Assert.True(inserted);
        var withDefunct = await table.ReadAllAsync();
        Assert.Equal(3, withDefunct.Members.Count);
        Assert.True(int.Parse(withDefunct.Version.VersionEtag) > int.Parse(all.Version.VersionEtag));

        // Cleanup removes dead silos that stopped reporting before the cutoff, and only those.
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(-10));
        var cleaned = await table.ReadAllAsync();
        Assert.Equal(expected, cleaned.Members.Select(m => PostgresCluster.Format(m.Item1.SiloAddress)).Order(StringComparer.Ordinal));

        // Deleting a deployment's entries removes that deployment only (here a made-up one, not the live cluster).
        await database.ExecuteBatchAsync(
            "INSERT INTO OrleansMembershipVersionTable (DeploymentId, Version) VALUES ('other-deployment', 7);" +
            "INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, " +
            "ProxyPort, StartTime, IAmAliveTime) VALUES ('other-deployment', '10.0.0.1', 11111, 1, 'x', 'x', 3, 0, now(), now())");
        await table.DeleteMembershipTableEntriesAsync("other-deployment");
        Assert.Equal(
            [cluster.ClusterId],
            await database.QueryListAsync<string>("SELECT DISTINCT DeploymentId FROM OrleansMembershipTable"));
        Assert.Equal(
            [cluster.ClusterId],
            await database.QueryListAsync<string>("SELECT DeploymentId FROM OrleansMembershipVersionTable"));
    }

    private static DateTime TruncateToMicroseconds(DateTime value) =>
        new(value.Ticks - value.Ticks % 10, DateTimeKind.Utc);

    private const string TablesQuery =
        "SELECT table_name::text FROM information_schema.tables " +
        "WHERE table_schema = 'public' AND table_name LIKE 'orleans%' ORDER BY table_name";

    private static async Task<long> CountStorageRowsAsync(ScratchDatabase database, string stateName) =>
        (await database.QueryListAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = @State", ("State", stateName))).Single();

    /// <summary>
    /// A database of its own with the Orleans schema as the migrations leave it: <see cref="OrleansPostgresSchema.CreateScript"/>
    /// (OrleansTables), then <see cref="OrleansPostgresSchema.DropRemindersScript"/> (Renovation), each as one batch.
    /// </summary>
    private sealed class ScratchDatabase : IAsyncDisposable
    {
        private readonly string adminConnectionString;
        private readonly string name;

        private ScratchDatabase(string adminConnectionString, string name, string connectionString)
        {
            this.adminConnectionString = adminConnectionString;
            this.name = name;
            ConnectionString = connectionString;
        }

        public string ConnectionString { get; }

        public static async Task<ScratchDatabase> CreateAsync()
        {
            var admin = Environment.GetEnvironmentVariable(EnvironmentVariable);
            Skip.If(string.IsNullOrWhiteSpace(admin), SkipMessage);

            var name = "orleans_scratch_" + Guid.NewGuid().ToString("N");
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync();
            }

            // A session time zone far from UTC, so a timestamp written or compared in the wrong zone shows up.
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Timezone = "Asia/Kathmandu" }
                .ConnectionString;
            var database = new ScratchDatabase(admin!, name, connectionString);
            try
            {
                // As EF's migrationBuilder.Sql does: the whole script as one command text.
                await database.ExecuteBatchAsync(OrleansPostgresSchema.CreateScript);
                await database.ExecuteBatchAsync(OrleansPostgresSchema.DropRemindersScript);
            }
            catch
            {
                await database.DisposeAsync();
                throw;
            }

            return database;
        }

        public async Task ExecuteBatchAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public Task<List<T>> QueryListAsync<T>(string sql, params (string Name, object Value)[] parameters) =>
            QueryListAsync(sql, r => r.GetFieldValue<T>(0), parameters);

        public async Task<List<T>> QueryListAsync<T>(
            string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var (parameterName, value) in parameters)
            {
                command.Parameters.AddWithValue(parameterName, value);
            }

            await using var reader = await command.ExecuteReaderAsync();
            var results = new List<T>();
            while (await reader.ReadAsync())
            {
                results.Add(read(reader));
            }

            return results;
        }

        public async ValueTask DisposeAsync()
        {
            // Orleans keeps pooled connections to the scratch database; release ours, force out the rest.
            using (var pooled = new NpgsqlConnection(ConnectionString))
            {
                NpgsqlConnection.ClearPool(pooled);
            }

            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A two-silo in-process TestCluster whose silos and client use the ADO.NET providers.</summary>
    private sealed class PostgresCluster : IAsyncDisposable
    {
        private readonly TestCluster cluster;

        private PostgresCluster(TestCluster cluster)
        {
            this.cluster = cluster;
            SiloAddresses = cluster.Silos.Select(s => Format(s.SiloAddress)).ToList();
        }

        /// <summary>The silos as started (stopping one does not renumber them), formatted as in PgStateSnapshot.</summary>
        public IReadOnlyList<string> SiloAddresses { get; }

        public IClusterClient Client => cluster.Client;

        public string ClusterId => cluster.Options.ClusterId;

        public static async Task<PostgresCluster> StartAsync(string connectionString)
        {
            var builder = new TestClusterBuilder(2);
            builder.Options.UseTestClusterMembership = false;
            builder.Options.ConfigureFileLogging = false;
            builder.Options.ClusterId = "ambassadors-test-" + Guid.NewGuid().ToString("N")[..8];
            builder.Options.ServiceId = "ambassadors-test-" + Guid.NewGuid().ToString("N")[..8];
            builder.Properties[ConnectionStringKey] = connectionString;
            builder.AddSiloBuilderConfigurator<SiloConfigurator>();
            builder.AddClientBuilderConfigurator<ClientConfigurator>();
            var cluster = builder.Build();
            try
            {
                await cluster.DeployAsync();
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }

            return new PostgresCluster(cluster);
        }

        /// <summary>
        /// Deactivation finishes after the call that requested it; a call arriving meanwhile would be re-placed by the
        /// old silo, so wait until the directory no longer knows an activation.
        /// </summary>
        public async Task WaitUntilDeactivatedAsync(IAddressable grain)
        {
            var management = Client.GetGrain<IManagementGrain>(0);
            var stopwatch = Stopwatch.StartNew();
            while (await management.GetActivationAddress(grain) is not null)
            {
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), "The grain was not deactivated within 10 s.");
                await Task.Delay(50);
            }
        }

        /// <summary>Runs a call with a placement hint, so an activation it creates goes to the given silo.</summary>
        public async Task<T> OnSilo<T>(int silo, Func<Task<T>> call)
        {
            RequestContext.Set(
                IPlacementDirector.PlacementHintKey,
                Handle(silo).SiloAddress);
            try
            {
                return await call();
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
        }

        public string SiloAddressOf(int silo) => SiloAddresses[silo];

        public SiloAddress SiloAddressObjectOf(int silo) => Handle(silo).SiloAddress;

        public T ServiceOf<T>(int silo)
            where T : notnull =>
            ((InProcessSiloHandle)Handle(silo)).ServiceProvider.GetRequiredService<T>();

        private SiloHandle Handle(int silo) => cluster.Silos.Single(s => Format(s.SiloAddress) == SiloAddresses[silo]);

        public int IndexOfSilo(string address)
        {
            var index = SiloAddresses.ToList().IndexOf(address);
            Assert.True(index >= 0, $"Unknown silo {address}.");
            return index;
        }

        public Task StopSiloAsync(int silo) =>
            cluster.StopSiloAsync(Handle(silo));

        public static string Format(SiloAddress silo) => $"{silo.Endpoint.Address}:{silo.Endpoint.Port}@{silo.Generation}";

        public async ValueTask DisposeAsync()
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"{ConnectionStringKey} is not set.");
            siloBuilder
                .UseAdoNetClustering(options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                })
                .AddAdoNetGrainStorage(StorageName, options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                })
                .AddAdoNetGrainStorage(DeletingStorageName, options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                    options.DeleteStateOnClear = true;
                });
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            var connectionString = configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"{ConnectionStringKey} is not set.");
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
        }
    }
}

[GenerateSerializer]
public sealed class PgTestState
{
    [Id(0)]
    public string? Text { get; set; }
}

[GenerateSerializer]
public sealed class PgStateSnapshot
{
    [Id(0)]
    public string? Text { get; set; }

    [Id(1)]
    public string? ETag { get; set; }

    [Id(2)]
    public bool RecordExists { get; set; }

    [Id(3)]
    public string Silo { get; set; } = "";

    [Id(4)]
    public string ActivationId { get; set; } = "";
}

public interface IPgStateTestGrain : IGrainWithStringKey
{
    Task<PgStateSnapshot> Read(bool deleting);

    Task<PgStateSnapshot> Write(string text, bool deleting);

    Task<PgStateSnapshot> Clear(bool deleting);

    Task Deactivate();
}

/// <summary>Honours the request context's placement hint, so a test can choose the silo of a new activation.</summary>
[PreferLocalPlacement]
public sealed class PgStateTestGrain(
    [PersistentState(OrleansPostgresTests.StateName, OrleansPostgresTests.StorageName)]
    IPersistentState<PgTestState> state,
    [PersistentState(OrleansPostgresTests.DeletingStateName, OrleansPostgresTests.DeletingStorageName)]
    IPersistentState<PgTestState> deletingState,
    ILocalSiloDetails siloDetails) : Grain, IPgStateTestGrain
{
    private readonly string activationId = Guid.NewGuid().ToString("N");

    public Task<PgStateSnapshot> Read(bool deleting) => Task.FromResult(Snapshot(deleting));

    public async Task<PgStateSnapshot> Write(string text, bool deleting)
    {
        var target = deleting ? deletingState : state;
        target.State.Text = text;
        await target.WriteStateAsync();
        return Snapshot(deleting);
    }

    public async Task<PgStateSnapshot> Clear(bool deleting)
    {
        await (deleting ? deletingState : state).ClearStateAsync();
        return Snapshot(deleting);
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private PgStateSnapshot Snapshot(bool deleting)
    {
        var target = deleting ? deletingState : state;
        var silo = siloDetails.SiloAddress;
        return new PgStateSnapshot
        {
            Text = target.State.Text,
            ETag = target.Etag,
            RecordExists = target.RecordExists,
            Silo = $"{silo.Endpoint.Address}:{silo.Endpoint.Port}@{silo.Generation}",
            ActivationId = activationId,
        };
    }
}
