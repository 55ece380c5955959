using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ambassadors.Data;

public enum StorageEngine { Sqlite, Postgres }

/// <summary>Which engine and connection the service uses, from configuration (API.md, "Running").</summary>
public sealed record StorageSettings(StorageEngine Engine, string ConnectionString)
{
    public const string DefaultSqlitePath = "data/ambassadors.db";

    public static StorageSettings From(IConfiguration configuration)
    {
        var engineName = configuration["Ambassadors:Database"];
        var connectionString = configuration.GetConnectionString("Ambassadors");
        var engine = engineName?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => StorageEngine.Sqlite,
            "postgres" or "postgresql" => StorageEngine.Postgres,
            _ => throw new InvalidOperationException(
                $"Ambassadors:Database is '{engineName}'; use 'sqlite' (the default) or 'postgres'."),
        };
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (engine == StorageEngine.Postgres)
            {
                throw new InvalidOperationException(
                    "Ambassadors:Database is 'postgres' but ConnectionStrings:Ambassadors is not set.");
            }
            connectionString = $"Data Source={Path.Combine(Directory.GetCurrentDirectory(), DefaultSqlitePath)}";
        }
        return new StorageSettings(engine, connectionString);
    }

    /// <summary>For SQLite, the database file; null for an in-memory database or another engine.</summary>
    public string? SqliteFile
    {
        get
        {
            if (Engine != StorageEngine.Sqlite) return null;
            var dataSource = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            return string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" ? null : Path.GetFullPath(dataSource);
        }
    }

    /// <summary>The connection string without its password, for logs and messages.</summary>
    public string Describe() => Engine switch
    {
        StorageEngine.Sqlite => $"SQLite {SqliteFile ?? ":memory:"}",
        _ => $"PostgreSQL {new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString}",
    };
}

/// <summary>
/// Creates the engine's context type behind the shared <see cref="AppDbContext"/>, from a pool: a new context built its
/// own scope of EF Core's internal services, the largest allocation of a conversion request (docs/decisions.md,
/// "Conversions: the path"). A context is returned to the pool when disposed, its tracked state and settings reset.
/// </summary>
public sealed class AppDbContextFactory : IDbContextFactory<AppDbContext>
{
    /// <summary>Contexts kept for reuse; more are made when all are in use, and dropped when returned to a full pool.</summary>
    private const int PoolSize = 256;

    private readonly Func<AppDbContext> _create;

    public AppDbContextFactory(StorageSettings settings) : this(settings, null)
    {
    }

    /// <param name="configure">More options (the upgrade tests replace the model with an older one's).</param>
    public AppDbContextFactory(StorageSettings settings, Action<DbContextOptionsBuilder>? configure)
    {
        if (settings.Engine == StorageEngine.Sqlite)
        {
            var builder = new DbContextOptionsBuilder<SqliteAppDbContext>()
                .UseSqlite(settings.ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteAppDbContext.MigrationsAssembly));
            configure?.Invoke(builder);
            var pool = new PooledDbContextFactory<SqliteAppDbContext>(builder.Options, PoolSize);
            _create = pool.CreateDbContext;
        }
        else
        {
            var builder = new DbContextOptionsBuilder<PostgresAppDbContext>()
                .UseNpgsql(ForContexts(settings.ConnectionString), npgsql => npgsql.MigrationsAssembly(PostgresAppDbContext.MigrationsAssembly));
            configure?.Invoke(builder);
            var pool = new PooledDbContextFactory<PostgresAppDbContext>(builder.Options, PoolSize);
            _create = pool.CreateDbContext;
        }
    }

    public AppDbContext CreateDbContext() => _create();

    /// <summary>
    /// The EF Core contexts' PostgreSQL connection string: statements this service runs again and again (a conversion's
    /// membership read, the group's inserts and upserts) are prepared on each connection after their second use
    /// (<c>Max Auto Prepare</c>), so the server parses and plans them once per connection instead of once per request
    /// (docs/decisions.md, "Conversions: the path"). An operator's own <c>Max Auto Prepare</c> or
    /// <c>Auto Prepare Min Usages</c> in the connection string is kept, 0 included.
    /// </summary>
    public static string ForContexts(string connectionString)
    {
        // The base builder holds only the keys the string has (Npgsql's own answers for every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Has(string keyword) => given.ContainsKey(keyword) || given.ContainsKey(keyword.Replace(" ", ""));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Has("Max Auto Prepare")) builder.MaxAutoPrepare = AutoPrepared;
        if (!Has("Auto Prepare Min Usages")) builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    /// <summary>How many statements each connection keeps prepared (least recently used ones are unprepared first).</summary>
    private const int AutoPrepared = 256;
}

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the relational store chosen by configuration and returns the choice.</summary>
    public static StorageSettings AddAmbassadorsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = StorageSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddSingleton<DatabaseMigrator>();
        return settings;
    }
}
