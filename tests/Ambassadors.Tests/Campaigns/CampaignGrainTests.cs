using Ambassadors.Data;
using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Http;
using Ambassadors.Web.Hosting;
using Ambassadors.Web.ReferralCodes;
using Ambassadors.Web.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;

namespace Ambassadors.Tests.Campaigns;

/// <summary>A two-silo cluster over one SQLite file, with the real grains and storage.</summary>
/// <remarks>
/// Each test class gets its own fixture, and classes run in parallel: the silos learn their database through the
/// cluster's configuration, not a static field two fixtures would overwrite (one cluster then used the other's file,
/// deleted under it).
/// </remarks>
public sealed class TwoSiloClusterFixture : IAsyncLifetime
{
    private const string ConnectionStringKey = "ConnectionStrings:Ambassadors";
    private string _connectionString = "";

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _connectionString = $"Data Source={TestDatabases.NewSqliteFile()}";
        var settings = new StorageSettings(StorageEngine.Sqlite, _connectionString);
        await new DatabaseMigrator(settings, new AppDbContextFactory(settings), NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

        var builder = new TestClusterBuilder(2);
        builder.Properties[ConnectionStringKey] = _connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        TestDatabases.DeleteSqlite(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_connectionString).DataSource);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var connectionString = silo.Configuration[ConnectionStringKey]
                                   ?? throw new InvalidOperationException($"The test cluster has no {ConnectionStringKey}.");
            silo.AddSqliteGrainStorage(OrleansHosting.GrainStorage, connectionString);
            silo.Services.AddAmbassadorsStorage(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [ConnectionStringKey] = connectionString })
                .Build());
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddTracking();
        }
    }
}

public sealed class CampaignGrainTests(TwoSiloClusterFixture fixture) : IClassFixture<TwoSiloClusterFixture>
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private static CampaignDraft Draft(int? capacity) => new("Vogue Circle", Data.CampaignObjective.Brand,
        "https://vogue.example/early-access", "EUR", null, null, capacity, 30, 14, new RewardRules(1m, null, null),
        Data.CampaignStatus.Active);

    private async Task<string> NewAmbassadorAsync()
    {
        var id = Ids.New("amb");
        var created = await Grains.GetGrain<IAmbassadorGrain>(id)
            .CreateAsync(new AmbassadorDraft("Zoe Test", $"{id}@example.com", [new SocialProfileRecord("tiktok", "@zoe", 900)]));
        Assert.Null(created.Failure);
        return id;
    }

    [Fact]
    public async Task ACampaignGrainNeverEnrolsPastItsCapacity()
    {
        var campaignId = Ids.New("cmp");
        var campaign = Grains.GetGrain<ICampaignGrain>(campaignId);
        Assert.True((await campaign.CreateAsync(Draft(capacity: 4))).Created);

        var ambassadors = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => NewAmbassadorAsync()));
        var results = await Task.WhenAll(ambassadors.Select(id => campaign.EnrolAsync(id, null, null)));

        Assert.Equal(4, results.Count(r => r.Created));
        Assert.All(results.Where(r => !r.Created), r => Assert.Equal(FailureKind.Conflict, r.Failure!.Kind));
        Assert.Equal(4, (await campaign.GetAsync())!.Members);
    }

    [Fact]
    public async Task ACodeResolvesWhateverCaseItIsTypedIn()
    {
        var campaignId = Ids.New("cmp");
        var campaign = Grains.GetGrain<ICampaignGrain>(campaignId);
        await campaign.CreateAsync(Draft(capacity: null));
        var ambassadorId = await NewAmbassadorAsync();
        var code = $"Zoe-{Guid.NewGuid():N}"[..12];

        var joined = await campaign.EnrolAsync(ambassadorId, code, null);
        Assert.Equal(code.ToUpperInvariant(), joined.Value!.ReferralCode);

        foreach (var typed in new[] { code, code.ToLowerInvariant(), code.ToUpperInvariant() })
        {
            var resolved = await Grains.GetGrain<IReferralCodeGrain>(ReferralCodeGrain.KeyOf(ReferralCodeFormat.Normalize(typed))).ResolveAsync();
            Assert.NotNull(resolved);
            Assert.Equal(ambassadorId, resolved.Target.AmbassadorId);
            Assert.Equal("https://vogue.example/early-access", resolved.Destination);
        }
        Assert.Null(await Grains.GetGrain<IReferralCodeGrain>(ReferralCodeGrain.KeyOf("NOBODY-HAS-THIS")).ResolveAsync());
    }

    [Fact]
    public async Task GeneratedCodesUseOnlyUnambiguousCharacters()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => ReferralCodeFormat.Generate()).ToList();
        Assert.All(codes, code => Assert.DoesNotContain(code, c => "01OIL".Contains(c)));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}

/// <summary>Traffic counters in the real grains, fed by the collectors of both silos.</summary>
public sealed class TrafficCounterGrainTests(TwoSiloClusterFixture fixture) : IClassFixture<TwoSiloClusterFixture>
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task ConcurrentFlushesAddUpExactlyPerDay()
    {
        var grain = Grains.GetGrain<ICampaignGrain>(Ids.New("cmp"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var yesterday = today.AddDays(-1);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
        {
            var delta = new TrafficDelta();
            var day = delta.DayOf((i % 2 == 0 ? today : yesterday).DayNumber);
            day.Clicks = 3;
            day.UniqueVisitors = 1;
            day.BotClicks = i % 5 == 0 ? 1 : 0;
            return grain.RecordTrafficAsync(delta);
        }));

        var all = await grain.GetTrafficAsync(null, null, yesterday, today);
        Assert.Equal(150, all.Clicks);
        Assert.Equal(50, all.UniqueVisitors);
        Assert.Equal(10, all.BotClicks);
        Assert.Equal([75L, 75L], all.Daily.Select(d => d.Clicks));
        var onlyToday = await grain.GetTrafficAsync(today, today, today, today);
        Assert.Equal(75, onlyToday.Clicks);
    }

    [Fact]
    public async Task ClicksRecordedOnBothSilosReachTheCountersAndSurviveReactivation()
    {
        var ambassadorId = Ids.New("amb");
        var campaignId = Ids.New("cmp");
        var target = new CodeTarget("TESTCODE", ambassadorId, campaignId, null);
        var now = DateTimeOffset.UtcNow;
        // The test client's calls to the stateless collector land on either silo.
        for (var i = 0; i < 40; i++)
        {
            await Grains.GetGrain<IClickCollectorGrain>(0).RecordAsync(new ClickEvent(
                ClickIds.New(now), target, (i % 10).ToString("x32"), now, IsBot: i % 8 == 0, NewForAmbassador: i < 10, NewForCampaign: i < 10,
                NewForContent: false, AddressHash: null, UserAgent: "test"));
        }

        var ambassador = Grains.GetGrain<IAmbassadorGrain>(ambassadorId);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        TrafficSummary traffic, campaign;
        // Each silo's collector sends its flush to the ambassador and the campaign side by side: wait for both.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(200);
            traffic = await ambassador.GetTrafficAsync(null, null, today, today);
            campaign = await Grains.GetGrain<ICampaignGrain>(campaignId).GetTrafficAsync(null, null, today, today);
        }
        while ((traffic.Clicks + traffic.BotClicks < 40 || campaign.Clicks + campaign.BotClicks < 40) && DateTime.UtcNow < deadline);

        Assert.Equal(35, traffic.Clicks);
        Assert.Equal(5, traffic.BotClicks);
        Assert.Equal(8, traffic.UniqueVisitors); // new for the first ten, but bots (i = 0 and 8) never count as visitors
        Assert.Equal(35, campaign.Clicks);

        // Written behind at each flush: a fresh activation reads the same counts from storage.
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var reloaded = await Grains.GetGrain<IAmbassadorGrain>(ambassadorId).GetTrafficAsync(null, null, today, today);
        Assert.Equal(35, reloaded.Clicks);
    }
}
