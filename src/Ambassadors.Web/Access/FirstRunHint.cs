using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Access;

/// <summary>
/// On a start where nobody can get in (no <c>Ambassadors:AdminApiKey</c>, no usable API key, no staff account), logs one
/// warning with the command that makes an admin key. It names no secret: the key is made and shown by the command.
/// </summary>
public sealed partial class FirstRunHint(
    IConfiguration configuration,
    IDbContextFactory<AppDbContext> contexts,
    StorageSettings storage,
    IHostEnvironment environment,
    ILogger<FirstRunHint> logger) : IHostedLifecycleService
{
    /// <summary>What a newcomer types (README.md, "First steps with the API").</summary>
    public const string Command = "dotnet run --project tools/Ambassadors.Cli -- api-keys create --name Admin --role admin";

    // After every StartAsync: the database is migrated by then (StartupMigration.StartingAsync).
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(configuration["Ambassadors:AdminApiKey"])) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ApiKeys.AnyAsync(key => key.RevokedAt == null, cancellationToken)) return;
        var staff = StaffAccounts.Roles;
        if (await db.Users.AnyAsync(user => staff.Contains(user.Role), cancellationToken)) return;
        LogNoAdminAccess(logger, storage.Describe(), Command, environment.ContentRootPath);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No one can call the API or sign in yet: {Database} has no API key "
        + "and no staff account, and Ambassadors:AdminApiKey is not set. Make an admin API key (printed once) with: "
        + "{Command} (run in {Folder}, with the same settings as the service).")]
    private static partial void LogNoAdminAccess(ILogger logger, string database, string command, string folder);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
