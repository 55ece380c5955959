using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.Support;

/// <summary>
/// The whole service in-process but listening on a real loopback port (Kestrel instead of the in-memory test server),
/// for a real browser. One per test class, on its own SQLite database.
/// </summary>
public sealed class KestrelAppFixture : IAsyncLifetime
{
    private string? _database;

    public AmbassadorsApp App { get; private set; } = null!;

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:43123.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await EngineFixture.NewDatabaseAsync(Engine.Sqlite);
        App = new AmbassadorsApp(Engine.Sqlite, _database, $"browser-{Guid.NewGuid():N}");
        App.UseKestrel(0);
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Kestrel reports "http://127.0.0.1:port" or "http://[::1]:port"; the browser uses IPv4 loopback either way.
        BaseAddress = new Uri($"http://127.0.0.1:{new Uri(address).Port}");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (_database is not null) await EngineFixture.DropDatabaseAsync(Engine.Sqlite, _database);
    }
}
