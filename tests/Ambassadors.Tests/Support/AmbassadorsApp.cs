using System.Net.Http.Headers;
using Ambassadors.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.Support;

/// <summary>
/// The whole service (web host, co-hosted silo, real database) in-process, on one engine.
/// Several instances may share a database and cluster id to form a multi-node cluster.
/// </summary>
public class AmbassadorsApp(Engine engine, string connectionString, string clusterId) : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    public Engine Engine { get; } = engine;
    public string ConnectionString { get; } = connectionString;
    public int SiloPort { get; } = TestDatabases.FreePort();
    public int GatewayPort { get; } = TestDatabases.FreePort();

    /// <summary>Configuration on top of the tests' defaults, e.g. a short lockout or a low rate limit.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Ambassadors:Database", Engine == Engine.Sqlite ? "sqlite" : "postgres");
        builder.UseSetting("ConnectionStrings:Ambassadors", ConnectionString);
        builder.UseSetting("Ambassadors:AdminApiKey", AdminKey);
        builder.UseSetting("Ambassadors:Orleans:SiloPort", SiloPort.ToString());
        builder.UseSetting("Ambassadors:Orleans:GatewayPort", GatewayPort.ToString());
        builder.UseSetting("Ambassadors:Orleans:ClusterId", clusterId);
        builder.UseSetting("Ambassadors:Orleans:AdvertisedIP", "127.0.0.1");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Orleans.Runtime", "Error");
        // The in-memory test server gives every request the same (no) address: the suite signs in far more than 20 times a minute.
        builder.UseSetting("Ambassadors:RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("Ambassadors:RateLimits:ApplyPerMinute", "100000");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>A fresh context on the app's database, to check what is really stored.</summary>
    public AppDbContext Db() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
}

/// <summary>One app per engine per test class; PostgreSQL ones skip when no server is configured.</summary>
public abstract class EngineFixture(Engine engine) : IAsyncLifetime
{
    private AmbassadorsApp? _app;
    private string? _database;

    public Engine Engine { get; } = engine;
    public bool Available => Engine == Engine.Sqlite || TestDatabases.PostgresAdmin is not null;

    public AmbassadorsApp App
    {
        get
        {
            Skip.IfNot(Available, TestDatabases.SkipReason);
            return _app ?? throw new InvalidOperationException("The fixture has not started.");
        }
    }

    public async Task InitializeAsync()
    {
        if (!Available) return;
        _database = await NewDatabaseAsync(Engine);
        _app = new AmbassadorsApp(Engine, _database, $"test-{Guid.NewGuid():N}");
        _app.Server.ToString(); // start the host (and its silo) now, not inside the first test
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_database is not null) await DropDatabaseAsync(Engine, _database);
    }

    /// <summary>Runs a test body against a database of its own, dropped afterwards; PostgreSQL skips when not configured.</summary>
    public static async Task WithFreshDatabaseAsync(Engine engine, Func<string, Task> body)
    {
        Skip.If(engine == Engine.Postgres && TestDatabases.PostgresAdmin is null, TestDatabases.SkipReason);
        var database = await NewDatabaseAsync(engine);
        try
        {
            await body(database);
        }
        finally
        {
            await DropDatabaseAsync(engine, database);
        }
    }

    public static async Task<string> NewDatabaseAsync(Engine engine) =>
        engine == Engine.Sqlite ? $"Data Source={TestDatabases.NewSqliteFile()}" : await TestDatabases.CreatePostgresAsync();

    public static async Task DropDatabaseAsync(Engine engine, string connectionString)
    {
        if (engine == Engine.Sqlite)
        {
            TestDatabases.DeleteSqlite(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource);
        }
        else
        {
            await TestDatabases.DropPostgresAsync(connectionString);
        }
    }
}

public sealed class SqliteFixture() : EngineFixture(Engine.Sqlite);

public sealed class PostgresFixture() : EngineFixture(Engine.Postgres);
