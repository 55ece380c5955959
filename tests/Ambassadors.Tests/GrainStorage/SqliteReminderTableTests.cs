using Ambassadors.Data;
using Ambassadors.Tests.Infrastructure;
using Ambassadors.Web.Infrastructure.GrainStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;

namespace Ambassadors.Tests.GrainStorage;

/// <summary>Reminders on SQLite are kept in the database file, so a restart keeps them.</summary>
public sealed class SqliteReminderTableTests : IAsyncLifetime
{
    private readonly string _file = TestDatabases.NewSqliteFile();
    private string ConnectionString => $"Data Source={_file}";

    public async Task InitializeAsync()
    {
        var settings = new StorageSettings(StorageEngine.Sqlite, ConnectionString);
        await new DatabaseMigrator(settings, new AppDbContextFactory(settings), NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
    }

    public Task DisposeAsync()
    {
        TestDatabases.DeleteSqlite(_file);
        return Task.CompletedTask;
    }

    private static ReminderEntry Entry(GrainId grain, string name, int minutes) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
        Period = TimeSpan.FromMinutes(minutes),
    };

    private static GrainId Grain(string key) => GrainId.Create("test-reminder", key);

    [Fact]
    public async Task RemindersAreStoredUpdatedAndRemovedOnlyWithTheCurrentETag()
    {
        var table = new SqliteReminderTable(ConnectionString, "svc");
        var grain = Grain("approve-rewards");

        var first = await table.UpsertRow(Entry(grain, "daily", 1440));
        var second = await table.UpsertRow(Entry(grain, "daily", 60));
        Assert.NotEqual(first, second);

        var row = await table.ReadRow(grain, "daily");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(60), row.Period);
        Assert.Equal(new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc), row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(second, row.ETag);

        Assert.False(await table.RemoveRow(grain, "daily", first!));
        Assert.NotNull(await table.ReadRow(grain, "daily"));
        Assert.True(await table.RemoveRow(grain, "daily", second!));
        Assert.Null(await table.ReadRow(grain, "daily"));
    }

    [Fact]
    public async Task RemindersSurviveANewTableInstanceAndStayWithinTheirService()
    {
        var grain = Grain("payout-batch");
        await new SqliteReminderTable(ConnectionString, "svc").UpsertRow(Entry(grain, "close-period", 5));
        await new SqliteReminderTable(ConnectionString, "svc").UpsertRow(Entry(grain, "remind-finance", 10));

        var reopened = new SqliteReminderTable(ConnectionString, "svc");
        var rows = (await reopened.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order().ToList();
        Assert.Equal(["close-period", "remind-finance"], rows);
        Assert.Empty((await new SqliteReminderTable(ConnectionString, "other-service").ReadRows(grain)).Reminders);
    }

    [Fact]
    public async Task RangeReadsFollowTheRingIncludingTheWrapAround()
    {
        var table = new SqliteReminderTable(ConnectionString, "svc");
        var grains = Enumerable.Range(0, 40).Select(i => Grain($"ring-{i}")).ToList();
        foreach (var grain in grains) await table.UpsertRow(Entry(grain, "r", 1));
        var hashes = grains.ToDictionary(g => g, g => g.GetUniformHashCode());
        var middle = hashes.Values.Order().ElementAt(20);

        var inside = (await table.ReadRows(0, middle)).Reminders.Select(r => r.GrainId).ToHashSet();
        Assert.Equal(grains.Where(g => hashes[g] > 0 && hashes[g] <= middle).ToHashSet(), inside);

        var wrapped = (await table.ReadRows(middle, 0)).Reminders.Select(r => r.GrainId).ToHashSet();
        Assert.Equal(grains.Where(g => hashes[g] > middle || hashes[g] <= 0).ToHashSet(), wrapped);
        Assert.Equal(grains.Count, (await table.ReadRows(middle, middle)).Reminders.Count);
    }

    [Fact]
    public async Task AGrainsReminderIsStillThereAfterTheSiloRestarts()
    {
        var serviceId = $"reminders-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString("N");
        await using (var first = await StartClusterAsync(serviceId))
        {
            await first.GrainFactory.GetGrain<IReminderProbeGrain>(key).RegisterAsync("weekly-digest");
        }
        await using var second = await StartClusterAsync(serviceId);
        Assert.True(await second.GrainFactory.GetGrain<IReminderProbeGrain>(key).HasAsync("weekly-digest"));
        Assert.False(await second.GrainFactory.GetGrain<IReminderProbeGrain>(key).HasAsync("never-registered"));
    }

    private async Task<TestCluster> StartClusterAsync(string serviceId)
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(
            new Dictionary<string, string?> { [ReminderSiloConfigurator.ConnectionStringKey] = ConnectionString }));
        builder.AddSiloBuilderConfigurator<ReminderSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class ReminderSiloConfigurator : ISiloConfigurator
    {
        public const string ConnectionStringKey = "SqliteReminderTableTests:ConnectionString";

        public void Configure(ISiloBuilder silo) =>
            silo.UseSqliteReminderService(services => services.GetRequiredService<IConfiguration>()[ConnectionStringKey]!);
    }
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task RegisterAsync(string name);
    Task<bool> HasAsync(string name);
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public Task RegisterAsync(string name) => this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<bool> HasAsync(string name) => await this.GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
