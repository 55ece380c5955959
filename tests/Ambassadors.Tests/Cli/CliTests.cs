using System.Text.Json;
using Ambassadors.Cli;
using Ambassadors.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Cli;

/// <summary>The <c>ambassadors</c> command line, run in-process against a temporary SQLite file.</summary>
public sealed class CliTests : IDisposable
{
    private const string StrongPassword = "Corr3ctHorseBattery";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ambassadors-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(_directory);

    private string DatabaseFile => Path.Combine(_directory, "cli.db");

    private string ConnectionString => $"Data Source={DatabaseFile}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
    }

    [Fact]
    public async Task Migrate_CreatesTheDatabase_AndASecondRunIsUpToDate()
    {
        var first = await RunAsync("migrate");

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Contains("Applied", first.Stdout);
        Assert.Contains("_Initial", first.Stdout);
        Assert.Contains(DatabaseFile, first.Stdout);
        Assert.True(File.Exists(DatabaseFile));

        var second = await RunAsync("migrate");

        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.Contains("up to date", second.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Applied", second.Stdout);
    }

    [Fact]
    public async Task Migrate_WithAnUnknownEngine_Exits2()
    {
        var run = await RunRawAsync("", "--database", "oracle", "--connection-string", ConnectionString, "migrate");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("oracle", run.Stderr);
        Assert.False(File.Exists(DatabaseFile));
    }

    [Fact]
    public async Task Migrate_WhenPostgresIsUnreachable_Exits3_WithoutShowingThePassword()
    {
        var run = await RunRawAsync("", "--database", "postgres",
            "--connection-string", "Host=127.0.0.1;Port=1;Username=nobody;Password=s3cr3t-pw;Database=none;Timeout=3",
            "migrate");

        Assert.Equal(ExitCodes.DatabaseUnavailable, run.ExitCode);
        Assert.Contains("cannot reach", run.Stderr);
        Assert.DoesNotContain("s3cr3t-pw", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task ApiKeysCreate_BeforeMigrate_Exits3_AndCreatesNoDatabase()
    {
        var run = await RunAsync("api-keys", "create", "--name", "Shop", "--role", "merchant");

        Assert.Equal(ExitCodes.DatabaseUnavailable, run.ExitCode);
        Assert.Contains("ambassadors migrate", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(File.Exists(DatabaseFile));
    }

    [Fact]
    public async Task ApiKeysCreate_OnAnEmptyDatabase_Exits3()
    {
        await using (var connection = new SqliteConnection(ConnectionString + ";Pooling=False"))
        {
            await connection.OpenAsync(); // creates the empty file
        }

        var run = await RunAsync("api-keys", "create", "--name", "Shop", "--role", "merchant");

        Assert.Equal(ExitCodes.DatabaseUnavailable, run.ExitCode);
        Assert.Contains("pending migrations", run.Stderr);
        Assert.Contains("ambassadors migrate", run.Stderr);
    }

    [Fact]
    public async Task ApiKeysCreate_PrintsTheKeyOnce_AndStoresOnlyItsHash()
    {
        await MigrateAsync();

        var run = await RunAsync("api-keys", "create", "--name", "Corner shop", "--role", "merchant");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("not be shown again", run.Stdout);
        Assert.Contains("Corner shop", run.Stdout);
        Assert.Contains("merchant", run.Stdout);
        var key = run.Stdout.Split('\n').Select(line => line.Trim())
            .Single(line => line.StartsWith("Key: ", StringComparison.Ordinal))["Key: ".Length..];
        Assert.StartsWith("amk_", key);

        var rows = await ReadTableAsync("ApiKeys");
        var row = Assert.Single(rows);
        Assert.Equal(ApiKeys.Hash(key), row["KeyHash"]);
        Assert.Equal("Corner shop", row["Name"]);
        Assert.Equal("merchant", row["Role"]);
        Assert.Contains((string)row["Id"]!, run.Stdout);
        Assert.All(row.Values, value => Assert.DoesNotContain(key, Convert.ToString(value) ?? ""));
        Assert.False(DatabaseFilesContain(key), "The key itself is written in the database files.");

        var audit = Assert.Single(await ReadTableAsync("AuditLog"));
        Assert.Equal("cli", audit["Actor"]);
        Assert.Equal("api-key.created", audit["Action"]);
        Assert.Equal("api-key", audit["EntityType"]);
        Assert.Equal(row["Id"], audit["EntityId"]);
        Assert.Equal("Corner shop (merchant)", audit["Details"]);
    }

    [Fact]
    public async Task ApiKeysCreate_WithJson_PrintsParseableJson()
    {
        await MigrateAsync();

        var run = await RunAsync("api-keys", "create", "--name", "Reports", "--role", "finance", "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var id = json.RootElement.GetProperty("id").GetString();
        Assert.Equal("Reports", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("finance", json.RootElement.GetProperty("role").GetString());
        var key = json.RootElement.GetProperty("key").GetString()!;
        Assert.StartsWith("amk_", key);

        var row = Assert.Single(await ReadTableAsync("ApiKeys"));
        Assert.Equal(id, row["Id"]);
        Assert.Equal(ApiKeys.Hash(key), row["KeyHash"]);
    }

    [Theory]
    [InlineData("--name", "Shop", "--role", "owner")]
    [InlineData("--name", "Shop")]
    [InlineData("--name", "   ", "--role", "admin")]
    public async Task ApiKeysCreate_WithInvalidInput_Exits2_AndStoresNothing(params string[] options)
    {
        await MigrateAsync();

        var run = await RunAsync(["api-keys", "create", .. options]);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.NotEqual("", run.Stderr);
        Assert.Empty(await ReadTableAsync("ApiKeys"));
    }

    [Fact]
    public async Task UsersCreate_WithAWeakPassword_Exits2_AndStoresNoUser()
    {
        await MigrateAsync();

        var run = await RunAsync("users", "create", "--email", "weak@example.com", "--role", "admin", "--password", "short");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("Passwords must", run.Stderr);
        Assert.Empty(await ReadTableAsync("AspNetUsers"));
        Assert.Empty(await ReadTableAsync("AuditLog"));
    }

    [Fact]
    public async Task UsersCreate_WithAStrongPassword_CreatesTheUserWithTheRole()
    {
        await MigrateAsync();

        var run = await RunAsync("users", "create", "--email", "mia@example.com", "--role", "manager", "--password", StrongPassword);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain(StrongPassword, run.Stdout + run.Stderr);
        await using var db = OpenContext();
        var user = await db.Users.SingleAsync();
        Assert.Equal("mia@example.com", user.Email);
        Assert.Equal("manager", user.Role);
        Assert.Contains(user.Id, run.Stdout);
        Assert.NotEqual(StrongPassword, user.PasswordHash);
        var audit = await db.AuditLog.SingleAsync();
        Assert.Equal(("cli", "user.created", "user", user.Id), (audit.Actor, audit.Action, audit.EntityType, audit.EntityId));
        Assert.False(DatabaseFilesContain(StrongPassword), "The password itself is written in the database files.");
    }

    [Fact]
    public async Task UsersCreate_ReadsThePasswordFromStdin_AndPrintsJson()
    {
        await MigrateAsync();

        var run = await RunRawAsync(StrongPassword + "\n",
            "--database", "sqlite", "--connection-string", ConnectionString,
            "users", "create", "--email", "fin@example.com", "--role", "finance", "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain(StrongPassword, run.Stdout + run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("fin@example.com", json.RootElement.GetProperty("email").GetString());
        Assert.Equal("finance", json.RootElement.GetProperty("role").GetString());
        await using var db = OpenContext();
        var user = await db.Users.SingleAsync();
        Assert.Equal(json.RootElement.GetProperty("id").GetString(), user.Id);
        Assert.Equal("finance", user.Role);
    }

    [Fact]
    public async Task UsersCreate_WithoutAnyPassword_Exits2()
    {
        if (Environment.GetEnvironmentVariable("AMBASSADORS_PASSWORD") is { Length: > 0 }) return;
        await MigrateAsync();

        var run = await RunAsync("users", "create", "--email", "none@example.com", "--role", "admin");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("AMBASSADORS_PASSWORD", run.Stderr);
        Assert.Empty(await ReadTableAsync("AspNetUsers"));
    }

    [Fact]
    public async Task UsersCreate_WithATakenEmail_Exits2()
    {
        await MigrateAsync();
        string[] create = ["users", "create", "--email", "dup@example.com", "--role", "admin", "--password", StrongPassword];
        Assert.Equal(ExitCodes.Ok, (await RunAsync(create)).ExitCode);

        var again = await RunAsync(create);

        Assert.Equal(ExitCodes.InvalidInput, again.ExitCode);
        Assert.Contains("already taken", again.Stderr);
        Assert.Single(await ReadTableAsync("AspNetUsers"));
        Assert.Single(await ReadTableAsync("AuditLog"));
    }

    [Fact]
    public async Task UsersCreate_WithARoleStaffCannotHave_Exits2()
    {
        await MigrateAsync();

        var run = await RunAsync("users", "create", "--email", "m@example.com", "--role", "merchant", "--password", StrongPassword);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Empty(await ReadTableAsync("AspNetUsers"));
    }

    private async Task MigrateAsync()
    {
        var run = await RunAsync("migrate");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
    }

    private Task<CliRun> RunAsync(params string[] args) =>
        RunRawAsync("", ["--database", "sqlite", "--connection-string", ConnectionString, .. args]);

    private static Task<CliRun> RunRawAsync(string stdin, params string[] args) => CliRun.RunAsync(stdin, args);

    private async Task<List<Dictionary<string, object?>>> ReadTableAsync(string table)
    {
        await using var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private SqliteAppDbContext OpenContext() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(ConnectionString + ";Pooling=False").Options);

    /// <summary>Whether the text appears anywhere in the database file or its write-ahead log.</summary>
    private bool DatabaseFilesContain(string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        foreach (var path in new[] { DatabaseFile, DatabaseFile + "-wal" })
        {
            if (!File.Exists(path)) continue;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            if (memory.ToArray().AsSpan().IndexOf(needle) >= 0) return true;
        }
        return false;
    }
}
