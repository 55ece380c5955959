using System.Net;
using System.Net.Http.Headers;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ambassadors.Tests.Access;

/// <summary>
/// A first start with no way in (no configured admin key, no API key, no staff account) says, once, how to make an
/// admin key; a start where someone can get in says nothing.
/// </summary>
public abstract class FirstRunHintTests(Engine engine)
{
    private static readonly string Category = typeof(FirstRunHint).FullName!;

    [SkippableFact]
    public async Task AnEmptyDatabase_WithoutAnAdminKey_GetsOneWarningWithTheCommand_AndFollowingItEndsTheWarning()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var first = await StartAsync(database, withAdminKey: false);

            var hint = Assert.Single(first, entry => entry.Category == Category);
            Assert.Equal(LogLevel.Warning, hint.Level);
            Assert.Contains("dotnet run --project tools/Ambassadors.Cli -- api-keys create --name Admin --role admin", hint.Message);
            Assert.DoesNotContain("password", hint.Message, StringComparison.OrdinalIgnoreCase);

            // The newcomer runs the command (after `--`) against the same database, and uses the key it prints.
            var arguments = FirstRunHint.Command[(FirstRunHint.Command.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ');
            var run = await CliRun.RunAsync("",
                ["--database", engine == Engine.Sqlite ? "sqlite" : "postgres", "--connection-string", database, .. arguments]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            var key = run.Stdout.Split('\n').Single(line => line.StartsWith("Key: ", StringComparison.Ordinal))["Key: ".Length..].Trim();

            var second = await StartAsync(database, withAdminKey: false, async client =>
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/campaigns")).StatusCode);
            });
            Assert.DoesNotContain(second, entry => entry.Category == Category);
        });
    }

    [SkippableFact]
    public async Task AConfiguredAdminKey_OrAStaffAccount_MeansNoWarning()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            var first = await StartAsync(database, withAdminKey: true, async client =>
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AmbassadorsApp.AdminKey);
                var created = await client.PostJsonAsync("/api/v1/users",
                    new { email = "ops@example.com", password = "Tr0ub4dor-and-3", role = "manager" });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            });
            Assert.DoesNotContain(first, entry => entry.Category == Category);

            var second = await StartAsync(database, withAdminKey: false);
            Assert.DoesNotContain(second, entry => entry.Category == Category);
        });
    }

    /// <summary>Starts the service on <paramref name="database"/>, runs <paramref name="whileRunning"/>, stops it and
    /// returns what it logged (with the suite's filters: Warning and above).</summary>
    private async Task<IReadOnlyList<LogEntry>> StartAsync(string database, bool withAdminKey, Func<HttpClient, Task>? whileRunning = null)
    {
        var logs = new CapturedLogs();
        await using var app = new AmbassadorsApp(engine, database, $"hint-{Guid.NewGuid():N}");
        await using var host = app.WithWebHostBuilder(builder =>
        {
            if (!withAdminKey) builder.UseSetting("Ambassadors:AdminApiKey", "");
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(logs));
        });
        using var client = host.CreateClient();
        if (whileRunning is not null) await whileRunning(client);
        return logs.Entries;
    }
}

public sealed class FirstRunHintOnSqlite() : FirstRunHintTests(Engine.Sqlite);

public sealed class FirstRunHintOnPostgres() : FirstRunHintTests(Engine.Postgres);
