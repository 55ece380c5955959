using System.CommandLine;
using System.Text.Json;
using Ambassadors.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Cli;

/// <summary><c>ambassadors api-keys create</c>.</summary>
internal static class ApiKeyCommands
{
    private const int MaxNameLength = 200;

    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var group = new Command("api-keys", "Manage API keys.");
        group.Subcommands.Add(CreateCommand(globals, io));
        return group;
    }

    private static Command CreateCommand(GlobalOptions globals, CliIo io)
    {
        var name = new Option<string>("--name")
        {
            Description = "What the key is for, e.g. the shop's name.",
            Required = true,
        };
        var role = new Option<string>("--role")
        {
            Description = "What the key may do.",
            Required = true,
        }.AcceptOnlyFromAmong([.. ApiKeys.RoleNames]);
        var json = new Option<bool>("--json") { Description = "Print {\"id\",\"name\",\"role\",\"key\"} as JSON." };

        var command = new Command("create", "Create an API key; the key is printed once and only its SHA-256 is stored.")
        {
            name, role, json,
        };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var keyName = parseResult.GetValue(name)?.Trim();
            if (string.IsNullOrEmpty(keyName))
            {
                throw new CliException(ExitCodes.InvalidInput, "--name must not be empty.");
            }
            if (keyName.Length > MaxNameLength)
            {
                throw new CliException(ExitCodes.InvalidInput, $"--name must be at most {MaxNameLength} characters.");
            }
            if (!ApiKeys.TryParseRole(parseResult.GetValue(role), out var keyRole))
            {
                throw new CliException(ExitCodes.InvalidInput, "--role must be one of: admin, manager, finance, merchant.");
            }

            await context.RequireMigratedAsync(cancellationToken);

            var clock = context.Clock;
            var (record, secret) = ApiKeys.Create(keyName, keyRole, clock);
            await using (var scope = context.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                db.ApiKeys.Add(record);
                db.AuditLog.Add(new AuditEntry
                {
                    At = clock.GetUtcNow(), Actor = "cli", Action = "api-key.created",
                    EntityType = "api-key", EntityId = record.Id, Details = $"{record.Name} ({keyRole.Name()})",
                });
                await db.SaveChangesAsync(cancellationToken);
            }

            if (parseResult.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(
                    new CreatedApiKey(record.Id, record.Name, keyRole.Name(), secret), CliJson.Options));
            }
            else
            {
                await context.Out.WriteLineAsync($"Created API key {record.Id} \"{record.Name}\" with role {keyRole.Name()}.");
                await context.Out.WriteLineAsync($"Key: {secret}");
                await context.Out.WriteLineAsync("Store it now: it will not be shown again (only its SHA-256 hash is kept).");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record CreatedApiKey(string Id, string Name, string Role, string Key);
}

internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
