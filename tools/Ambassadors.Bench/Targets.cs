using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

using Ambassadors.Shared;

namespace Ambassadors.Bench;

/// <summary>The bare-Kestrel baseline: this tool's own <c>baseline-server</c> command as a child process, like the service.</summary>
public static class BaselineTarget
{
    public static async Task<(ChildProcess Process, Uri Url)> StartAsync(CancellationToken cancellationToken)
    {
        var port = ServiceBinaries.FreePort();
        var start = new ProcessStartInfo(ServiceBinaries.DotnetHost());
        start.ArgumentList.Add(typeof(BaselineTarget).Assembly.Location);
        start.ArgumentList.Add("baseline-server");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = ChildProcess.Start(start);
        var url = new Uri($"http://127.0.0.1:{port}/r/bench-code");
        try
        {
            await process.WaitUntilAnswersAsync(url, HttpStatusCode.Found, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return (process, url);
    }
}

/// <summary>nginx answering <c>return 302</c> from a throw-away prefix, when nginx is installed.</summary>
public static class NginxTarget
{
    public static string? Find() => ChildProcess.OnPath("nginx");

    public static async Task<(ChildProcess Process, Uri Url)> StartAsync(string nginx, CancellationToken cancellationToken)
    {
        var port = ServiceBinaries.FreePort();
        var prefix = Path.Combine(Path.GetTempPath(), "ambassadors-bench-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(prefix);
        var config = Path.Combine(prefix, "nginx.conf");
        // One worker per core (as Kestrel uses every core), no access log, keep-alive without a request limit (as Kestrel).
        await File.WriteAllTextAsync(config, $$"""
            worker_processes auto;
            daemon off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                keepalive_requests 100000000;
                keepalive_timeout 75s;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                server {
                    listen 127.0.0.1:{{port}};
                    location /r/ { return 302 https://shop.example/; }
                }
            }
            """, cancellationToken);
        var start = new ProcessStartInfo(nginx);
        foreach (var argument in new[] { "-p", prefix, "-c", config, "-e", Path.Combine(prefix, "error.log") }) start.ArgumentList.Add(argument);
        var process = ChildProcess.Start(start, directoryToDelete: prefix);
        var url = new Uri($"http://127.0.0.1:{port}/r/bench-code");
        try
        {
            await process.WaitUntilAnswersAsync(url, HttpStatusCode.Found, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (Exception exception)
        {
            var log = Path.Combine(prefix, "error.log");
            var detail = File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : "";
            await process.DisposeAsync();
            throw new InvalidOperationException($"nginx did not start: {exception.Message}\n{detail}", exception);
        }
        return (process, url);
    }
}

/// <summary>
/// The real service, built Ambassadors.Web.dll run with <c>dotnet</c> (Kestrel and the co-hosted silo, SQLite in a temp folder),
/// with one campaign, ambassador and membership made through the API.
/// </summary>
public sealed class ServiceTarget : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _admin;

    private readonly string? _postgresAdmin;

    private ServiceTarget(ChildProcess process, HttpClient admin, Uri baseAddress, string connectionString, string? postgresAdmin, bool isPostgres)
    {
        _process = process;
        _admin = admin;
        BaseAddress = baseAddress;
        ConnectionString = connectionString;
        _postgresAdmin = postgresAdmin;
        IsPostgres = isPostgres;
    }

    /// <summary>The service's database: a SQLite file in its temp folder, or a throw-away PostgreSQL database.</summary>
    public string ConnectionString { get; }

    public bool IsPostgres { get; }

    public string AmbassadorId { get; private set; } = "";

    public Uri BaseAddress { get; }

    /// <summary>A client with the admin key, for setting up and reading stats.</summary>
    public HttpClient Admin => _admin;

    public string CampaignId { get; private set; } = "";

    public string ReferralCode { get; private set; } = "";

    public Uri RedirectUrl => new(BaseAddress, $"/r/{Uri.EscapeDataString(ReferralCode)}");

    /// <param name="postgresAdmin">An admin connection string: the service then runs on PostgreSQL, in a database made for it (or
    /// <paramref name="joinPostgres"/> when given too) and dropped after.</param>
    /// <param name="joinPostgres">A PostgreSQL database another node already runs on (with <c>Ambassadors__Orleans__ClusterId</c> in
    /// <paramref name="settings"/>: the same cluster); not made here, and dropped after only when <paramref name="postgresAdmin"/> is
    /// given too.</param>
    /// <param name="sqliteFile">An SQLite database already made (the demo's): the service runs on it, and no campaign or link is added.</param>
    public static async Task<ServiceTarget> StartAsync(bool recordClicks, CancellationToken cancellationToken, string? postgresAdmin = null,
        IReadOnlyDictionary<string, string>? settings = null, string? joinPostgres = null, string? sqliteFile = null)
    {
        var appDirectory = ServiceBinaries.WebAppDirectory();
        var port = ServiceBinaries.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var workingDirectory = Path.Combine(Path.GetTempPath(), "ambassadors-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var adminKey = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

        var start = new ProcessStartInfo(ServiceBinaries.DotnetHost()) { WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(appDirectory, "Ambassadors.Web.dll"));
        var environment = start.Environment;
        environment["ASPNETCORE_URLS"] = baseAddress.GetLeftPart(UriPartial.Authority);
        var isPostgres = postgresAdmin is not null || joinPostgres is not null;
        var sqlitePath = sqliteFile ?? Path.Combine(workingDirectory, "bench.db");
        if (!isPostgres && sqliteFile is null) await BenchDatabases.CreateSqliteAsync(sqlitePath, cancellationToken);
        var connectionString = joinPostgres ?? (postgresAdmin is null
            ? $"Data Source={sqlitePath}"
            : await BenchDatabases.CreatePostgresAsync(postgresAdmin, cancellationToken));
        environment["Ambassadors__Database"] = isPostgres ? "postgres" : "sqlite";
        environment["ConnectionStrings__Ambassadors"] = connectionString;
        environment["Ambassadors__AdminApiKey"] = adminKey;
        environment["Ambassadors__Orleans__SiloPort"] = ServiceBinaries.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Ambassadors__Orleans__GatewayPort"] = ServiceBinaries.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Ambassadors__Orleans__ClusterId"] = $"bench-{Guid.NewGuid():N}";
        environment["Ambassadors__Orleans__AdvertisedIP"] = "127.0.0.1";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        if (!recordClicks) environment["Ambassadors__Tracking__RecordClicks"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;

        var process = ChildProcess.Start(start, directoryToDelete: workingDirectory);
        var admin = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var service = new ServiceTarget(process, admin, baseAddress, connectionString, postgresAdmin, isPostgres);
        try
        {
            await process.WaitUntilAnswersAsync(new Uri(baseAddress, "/health"), HttpStatusCode.OK, TimeSpan.FromSeconds(90), cancellationToken);
            if (sqliteFile is null) await service.CreateLinkAsync(cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Two services started at once (a start is mostly its own process's JIT, so the two overlap with each other and with
    /// waits); if either fails, the other is stopped.
    /// </summary>
    public static async Task<(ServiceTarget First, ServiceTarget Second)> BothAsync(Task<ServiceTarget> first, Task<ServiceTarget> second)
    {
        try
        {
            await Task.WhenAll(first, second);
        }
        catch
        {
            foreach (var task in new[] { first, second })
            {
                if (task.IsCompletedSuccessfully) await task.Result.DisposeAsync();
            }
            throw;
        }
        return (first.Result, second.Result);
    }

    /// <summary>Sends <paramref name="count"/> browser clicks one by one; each must answer 302. Returns how many were sent.</summary>
    public async Task<int> WarmAsync(int count, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", BrowserRequest.UserAgent);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", BrowserRequest.Accept);
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(RedirectUrl, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Found)
            {
                throw new InvalidOperationException($"GET {RedirectUrl} answered {(int)response.StatusCode}, not 302.");
            }
        }
        return count;
    }

    /// <summary>
    /// The campaign's all-time clicks and bot clicks, once the per-silo collector has flushed: at least
    /// <paramref name="atLeast"/> and unchanged for longer than a flush interval (read every quarter second; at most 30 s,
    /// or 10 s unchanged below <paramref name="atLeast"/>).
    /// </summary>
    public async Task<(long Clicks, long BotClicks)> SettledClicksAsync(long atLeast, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var current = await ReadClicksAsync(cancellationToken);
        var unchangedSince = clock.Elapsed;
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            var read = await ReadClicksAsync(cancellationToken);
            if (read != current) (current, unchangedSince) = (read, clock.Elapsed);
            var unchanged = clock.Elapsed - unchangedSince;
            if ((unchanged > StableFor && current.Clicks + current.BotClicks >= atLeast) || unchanged > TimeSpan.FromSeconds(10) ||
                clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return current;
            }
        }
    }

    /// <summary>Longer than the collector's flush interval, so a flush still to come would have shown.</summary>
    private static readonly TimeSpan StableFor = Ambassadors.Web.Tracking.ClickCollector.FlushInterval * 1.5;

    private async Task<(long Clicks, long BotClicks)> ReadClicksAsync(CancellationToken cancellationToken)
    {
        using var response = await _admin.GetAsync($"api/v1/campaigns/{CampaignId}/stats", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET stats answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return (document.RootElement.GetProperty("clicks").GetInt64(), document.RootElement.GetProperty("botClicks").GetInt64());
    }

    private async Task CreateLinkAsync(CancellationToken cancellationToken)
    {
        var campaign = await PostAsync("api/v1/campaigns",
            new
            {
                name = "Bench campaign", objective = "sales", destinationUrl = "https://shop.example/", currency = "EUR",
                // A reward per sale, so a conversion books a ledger entry as a sales campaign's does.
                rewards = new { perSale = 2.50m, salePercent = 10m },
            }, cancellationToken);
        CampaignId = campaign.GetProperty("id").GetString() ?? throw new InvalidOperationException("No campaign id.");
        var ambassador = await PostAsync("api/v1/ambassadors",
            new { name = "Bench Ambassador", email = $"bench-{Guid.NewGuid():N}@example.com" }, cancellationToken);
        var ambassadorId = ambassador.GetProperty("id").GetString() ?? throw new InvalidOperationException("No ambassador id.");
        AmbassadorId = ambassadorId;
        var membership = await PostAsync($"api/v1/campaigns/{CampaignId}/ambassadors", new { ambassadorId }, cancellationToken);
        ReferralCode = membership.GetProperty("referralCode").GetString() ?? throw new InvalidOperationException("No referral code.");
    }

    /// <summary>A new API key of <paramref name="role"/>, made through the API.</summary>
    public async Task<string> CreateKeyAsync(string role, CancellationToken cancellationToken)
    {
        var key = await PostAsync("api/v1/api-keys", new { name = $"Bench {role}", role }, cancellationToken);
        return key.GetProperty("key").GetString() ?? throw new InvalidOperationException("No key.");
    }

    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _admin.PostAsJsonAsync(path, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}, not 201: {text}");
        }
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _process.DisposeAsync();
        if (_postgresAdmin is not null) await BenchDatabases.DropPostgresAsync(_postgresAdmin, ConnectionString);
    }
}

/// <summary>
/// The benchmarks' throw-away databases, each a copy of an empty one already migrated: a fresh database's migrations took about 1 s of
/// a service's 3-4 s start (most of it CPU), and the smoke run starts the service or migrates about a dozen times. The
/// migrated template is made once per build of the migrations (keyed by their assemblies' module ids): a file in
/// the temp folder for SQLite, a template database for PostgreSQL, shared by concurrent benchmarks (the smoke run's lanes).
/// </summary>
public static class BenchDatabases
{
    private const string PostgresTemplatePrefix = "bench_template_";
    private const long TemplateLockKey = 0x62_656e_6368_746d;

    /// <summary>A new PostgreSQL database, migrated; <paramref name="name"/> (a plain identifier) or a generated one.</summary>
    public static async Task<string> CreatePostgresAsync(string admin, CancellationToken cancellationToken, string? name = null)
    {
        name ??= $"bench_{Guid.NewGuid():N}";
        var template = await PostgresTemplateAsync(admin, cancellationToken);
        await using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>Writes a migrated, empty SQLite database to <paramref name="file"/>, in place of any database left there.</summary>
    public static async Task CreateSqliteAsync(string file, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ambassadors-bench-templates");
        Directory.CreateDirectory(folder);
        var template = Path.Combine(folder, $"sqlite-{MigrationsKey("Ambassadors.Data.Sqlite")}.db");
        if (!File.Exists(template))
        {
            // One maker at a time; whoever waited finds it made.
            await using var turn = await FileTurnAsync(template + ".lock", cancellationToken);
            if (!File.Exists(template))
            {
                var building = Path.Combine(folder, $"building-{Guid.NewGuid():N}.db");
                try
                {
                    await MigrateAsync(new Ambassadors.Data.StorageSettings(Ambassadors.Data.StorageEngine.Sqlite, $"Data Source={building}"), cancellationToken);
                    // Closing the last connection checkpoints the write-ahead log into the file and removes it.
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    File.Move(building, template);
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    DeleteSqlite(building);
                }
            }
        }
        DeleteSqlite(file);
        File.Copy(template, file);
    }

    /// <summary>Deletes an SQLite database file with its write-ahead log and shared-memory index, where there are any.</summary>
    public static void DeleteSqlite(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
    }

    /// <summary>The template database for this build's migrations, made (and older ones dropped) if it is not there yet.</summary>
    private static async Task<string> PostgresTemplateAsync(string admin, CancellationToken cancellationToken)
    {
        var template = PostgresTemplatePrefix + MigrationsKey("Ambassadors.Data.Postgres");
        await using var connection = new Npgsql.NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        async Task<bool> ExistsAsync()
        {
            await using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", template);
            return await exists.ExecuteScalarAsync(cancellationToken) is not null;
        }
        if (await ExistsAsync()) return template;
        // One maker at a time (a lock of this session, any fixed number of ours).
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({TemplateLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            if (await ExistsAsync()) return template;
            var building = $"bench_building_{Guid.NewGuid():N}";
            await using (var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {building}", connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            var buildingConnection = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = building }.ConnectionString;
            try
            {
                await MigrateAsync(new Ambassadors.Data.StorageSettings(Ambassadors.Data.StorageEngine.Postgres, buildingConnection), cancellationToken);
                // A template must have no sessions when it is copied.
                Npgsql.NpgsqlConnection.ClearAllPools();
                await using var rename = new Npgsql.NpgsqlCommand($"ALTER DATABASE {building} RENAME TO {template}", connection);
                await rename.ExecuteNonQueryAsync(cancellationToken);
            }
            catch
            {
                await DropPostgresAsync(admin, buildingConnection);
                throw;
            }
        }
        finally
        {
            await using var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({TemplateLockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        // Templates of older builds go (a run of one of them would make its own again).
        var older = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_template\\_%' AND datname <> @name", connection))
        {
            list.Parameters.AddWithValue("name", template);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) older.Add(reader.GetString(0));
        }
        foreach (var name in older)
        {
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", connection);
            try
            {
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (Npgsql.PostgresException)
            {
                // Being copied by a run of that build right now: left for a later run to drop.
            }
        }
        return template;
    }

    private static async Task MigrateAsync(Ambassadors.Data.StorageSettings settings, CancellationToken cancellationToken) =>
        await new Ambassadors.Data.DatabaseMigrator(settings, new Ambassadors.Data.AppDbContextFactory(settings),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Ambassadors.Data.DatabaseMigrator>.Instance).MigrateAsync(cancellationToken);

    /// <summary>
    /// The migrations' build: the module ids of the shared model's assembly and the engine's migrations assembly, which change
    /// whenever either is built again (here even without a change to its code), so a template is never older than the
    /// migrations it was made with (lowercase hex, 32 characters: a PostgreSQL name).
    /// </summary>
    private static string MigrationsKey(string migrationsAssembly)
    {
        var ids = typeof(Ambassadors.Data.AppDbContext).Assembly.ManifestModule.ModuleVersionId.ToString("N") +
                  System.Reflection.Assembly.Load(migrationsAssembly).ManifestModule.ModuleVersionId.ToString("N");
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(ids)))[..32];
    }

    /// <summary>An exclusive lock file: waits while another process holds it.</summary>
    private static async Task<FileStream> FileTurnAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public static async Task DropPostgresAsync(string admin, string connectionString)
    {
        var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
        Npgsql.NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (Npgsql.NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"Could not drop {name}: {e.Message}");
        }
    }
}
