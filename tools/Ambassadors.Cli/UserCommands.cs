using System.CommandLine;
using System.Text;
using System.Text.Json;
using Ambassadors.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Cli;

/// <summary><c>ambassadors users create</c>: staff accounts for the web pages.</summary>
internal static class UserCommands
{
    public const string PasswordVariable = "AMBASSADORS_PASSWORD";
    private const int MaxPasswordLength = 200;

    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var group = new Command("users", "Manage staff accounts.");
        group.Subcommands.Add(CreateCommand(globals, io));
        return group;
    }

    private static Command CreateCommand(GlobalOptions globals, CliIo io)
    {
        var email = new Option<string>("--email")
        {
            Description = "The account's email; it is also the user name.",
            Required = true,
        };
        var role = new Option<string>("--role")
        {
            Description = "What the account may do.",
            Required = true,
        }.AcceptOnlyFromAmong([.. StaffAccounts.Roles]);
        var password = new Option<string>("--password")
        {
            Description = $"The password (at least 12 characters, upper- and lower-case letters and a digit). "
                + $"Without it: ${PasswordVariable}, else one line from redirected stdin, else a prompt. "
                + "Avoid it outside test set-ups: other users see a command's arguments (ps) and the shell keeps them in its history.",
        };
        var json = new Option<bool>("--json") { Description = "Print {\"id\",\"email\",\"role\"} as JSON." };

        var command = new Command("create", "Create a staff account.") { email, role, password, json };
        command.SetCliAction(globals, io, async (context, parseResult, cancellationToken) =>
        {
            var address = ValidEmail(parseResult.GetValue(email));
            var userRole = parseResult.GetValue(role)!;
            // Before asking for a password that could not be used.
            await context.RequireMigratedAsync(cancellationToken);
            var secret = ReadPassword(parseResult.GetValue(password), context.Io, address);

            await using var scope = context.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var clock = context.Clock;

            // The account and its audit entry together, or neither.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            IdentityResult result;
            AppUser? user;
            try
            {
                (result, user) = await StaffAccounts.CreateAsync(users, address, secret, userRole, clock);
            }
            catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
            {
                throw new CliException(ExitCodes.InvalidInput, $"a user with email {address} already exists.");
            }
            if (!result.Succeeded || user is null)
            {
                foreach (var error in result.Errors) await context.Error.WriteLineAsync($"error: {error.Description}");
                return ExitCodes.InvalidInput;
            }
            db.AuditLog.Add(new AuditEntry
            {
                At = clock.GetUtcNow(), Actor = "cli", Action = "user.created", EntityType = "user",
                EntityId = user.Id, Details = $"{address} ({userRole})",
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            if (parseResult.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(new CreatedUser(user.Id, address, user.Role), CliJson.Options));
            }
            else
            {
                await context.Out.WriteLineAsync($"Created user {user.Id} {address} with role {user.Role}.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The same rule as the web API's.</summary>
    private static string ValidEmail(string? value)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0) throw new CliException(ExitCodes.InvalidInput, "--email must not be empty.");
        if (!EmailAddresses.IsValid(text))
        {
            throw new CliException(ExitCodes.InvalidInput, $"--email '{text}' is not a valid email address.");
        }
        return text;
    }

    /// <summary>--password, else $AMBASSADORS_PASSWORD, else a line of redirected stdin, else a prompt without echo.</summary>
    private static string ReadPassword(string? option, CliIo io, string email)
    {
        var password = option;
        if (string.IsNullOrEmpty(password)) password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            password = io.InteractiveConsole ? Prompt(io, email) : io.In.ReadLine();
        }
        if (string.IsNullOrEmpty(password))
        {
            throw new CliException(ExitCodes.InvalidInput,
                $"no password: run this in a terminal to be asked for it, or give it as one line on stdin or in {PasswordVariable}.");
        }
        if (password.Length > MaxPasswordLength)
        {
            throw new CliException(ExitCodes.InvalidInput, $"the password must be at most {MaxPasswordLength} characters.");
        }
        return password;
    }

    private static string? Prompt(CliIo io, string email)
    {
        var first = ReadHidden(io, $"Password for {email}: ");
        if (string.IsNullOrEmpty(first)) return null;
        var second = ReadHidden(io, "Repeat the password: ");
        if (first != second) throw new CliException(ExitCodes.InvalidInput, "the passwords differ.");
        return first;
    }

    private static string ReadHidden(CliIo io, string prompt)
    {
        io.Error.Write(prompt);
        io.Error.Flush();
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        io.Error.WriteLine();
        return text.ToString();
    }

    private sealed record CreatedUser(string Id, string Email, string Role);
}
