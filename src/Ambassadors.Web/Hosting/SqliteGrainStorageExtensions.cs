using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Ambassadors.Web.Hosting;

public static class SqliteGrainStorageExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteGrainStorage"/> as the grain storage named <paramref name="name"/>
    /// (a keyed <see cref="IGrainStorage"/>, as Orleans' own providers do), so
    /// <c>[PersistentState("state", name)]</c> resolves to it. The table must already exist
    /// (<see cref="Ambassadors.Data.Sqlite.SqliteGrainStorageSchema.CreateScript"/>, run by the EF Core migration).
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddSqliteGrainStorage(name, _ => connectionString);
    }

    /// <summary>
    /// Registers <see cref="SqliteGrainStorage"/> as the grain storage named <paramref name="name"/>, with the
    /// connection string resolved from the silo's services when the storage is first used
    /// (e.g. from <c>IConfiguration</c>).
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(
        this ISiloBuilder builder, string name, Func<IServiceProvider, string> connectionStringFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(connectionStringFactory);

        builder.Services.AddGrainStorage(name, (services, providerName) => new SqliteGrainStorage(
            providerName,
            connectionStringFactory(services),
            services.GetRequiredService<IGrainStorageSerializer>(),
            services.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        return builder;
    }
}
