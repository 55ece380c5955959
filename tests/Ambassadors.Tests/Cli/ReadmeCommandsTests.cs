using System.Diagnostics;
using System.Text.RegularExpressions;
using Ambassadors.Cli;
using Ambassadors.Data;
using Ambassadors.Shared;
using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Cli;

/// <summary>
/// The README's <c>users create</c> and <c>api-keys create</c> examples, run as written by <c>/bin/sh</c>: each in a
/// fresh folder holding a migrated database (the default <c>data/ambassadors.db</c>), with the built CLI as
/// <c>ambassadors</c> and as <c>dotnet run --project tools/Ambassadors.Cli --</c> (which the README says it is), and the
/// file and variable the examples name (<c>ops-password.txt</c>, <c>$OPS_PASSWORD</c>) holding a password.
/// </summary>
public sealed partial class ReadmeCommandsTests : IDisposable
{
    private const string Password = "Corr3ctHorseBattery";
    private const string DotnetRun = "dotnet run --project tools/Ambassadors.Cli --";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ambassadors-readme-" + Guid.NewGuid().ToString("N"));

    public ReadmeCommandsTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
    }

    [Fact]
    public async Task EveryExample_RunInATerminal_WithThePasswordTypedWhenAsked_CreatesWhatItSays()
    {
        var examples = Examples();
        Assert.Contains(FirstRunHint.Command, examples); // the command the first start's warning gives
        Assert.True(examples.Count(IsUsersCreate) >= 3, "Expected the prompt, stdin and AMBASSADORS_PASSWORD ways:\n" + string.Join('\n', examples));

        var template = await MigratedTemplateAsync();
        var runs = await Task.WhenAll(examples.Select(example => RunAsync(example, template, terminal: true)));

        Assert.Empty(runs.Where(run => !run.Succeeded).Select(run => run.Report));
    }

    [Fact]
    public async Task FromAScript_WithoutATerminal_TheReadmeShowsAUsersCreateThatNeedsNoTyping()
    {
        var template = await MigratedTemplateAsync();
        var runs = await Task.WhenAll(Examples().Where(IsUsersCreate).Select(example => RunAsync(example, template, terminal: false)));

        // The way a newcomer's script failed (exit 2, "no password") must not be the only way shown.
        Assert.True(runs.Count(run => run.Succeeded) >= 2, string.Join("\n\n", runs.Select(run => run.Report)));
        // The others are the terminal's prompt, which says what to do instead.
        Assert.All(runs.Where(run => !run.Succeeded), run =>
        {
            Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
            Assert.Contains("no password: run this in a terminal", run.Output);
        });
    }

    /// <summary>Every shell line (continuations joined) and inline code span of README.md that creates a user or key.</summary>
    private static List<string> Examples()
    {
        var lines = File.ReadAllLines(ReadmePath());
        var examples = new List<string>();
        var inShell = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inShell = !inShell && line.Trim() == "```sh";
                continue;
            }
            if (inShell)
            {
                while (line.EndsWith('\\') && i + 1 < lines.Length) line = line[..^1] + lines[++i];
                if (!line.TrimStart().StartsWith('#')) examples.Add(line.Trim());
            }
            else
            {
                examples.AddRange(InlineCode().Matches(line).Select(match => match.Groups[1].Value));
            }
        }
        return examples.Where(example => Normalised(example) is var text
            && (text.Contains("ambassadors users create", StringComparison.Ordinal)
                || text.Contains("ambassadors api-keys create", StringComparison.Ordinal))).ToList();
    }

    private static bool IsUsersCreate(string example) => Normalised(example).Contains("ambassadors users create", StringComparison.Ordinal);

    private static string Normalised(string example) => example.Replace(DotnetRun, "ambassadors", StringComparison.Ordinal);

    /// <summary>A folder with a migrated SQLite database at the default path, copied for each example.</summary>
    private async Task<string> MigratedTemplateAsync()
    {
        var template = Path.Combine(_root, "template");
        var file = Path.Combine(template, StorageSettings.DefaultSqlitePath);
        var run = await CliRun.RunAsync("", "--database", "sqlite", "--connection-string", $"Data Source={file}", "migrate");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        SqliteConnection.ClearAllPools();
        return template;
    }

    private async Task<ExampleRun> RunAsync(string example, string template, bool terminal)
    {
        var folder = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        var data = Path.Combine(folder, Path.GetDirectoryName(StorageSettings.DefaultSqlitePath)!);
        Directory.CreateDirectory(data);
        foreach (var file in Directory.GetFiles(Path.Combine(template, Path.GetDirectoryName(StorageSettings.DefaultSqlitePath)!)))
        {
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "ops-password.txt"), Password + "\n");
        var bin = Path.Combine(folder, "bin");
        Directory.CreateDirectory(bin);
        var shim = Path.Combine(bin, "ambassadors");
        await File.WriteAllTextAsync(shim,
            $"#!/bin/sh\nexec '{ServiceBinaries.DotnetHost()}' '{Path.Combine(AppContext.BaseDirectory, "ambassadors.dll")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var command = Normalised(example);
        // In a terminal (script(1) gives the command a pseudo-terminal) the password is typed twice when asked;
        // from a script nothing is typed and stdin is empty.
        var start = terminal
            ? new ProcessStartInfo("script") { ArgumentList = { "-qec", command, "/dev/null" } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        start.WorkingDirectory = folder;
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("Ambassadors__", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                || name is "AMBASSADORS_PASSWORD" or "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT")
            {
                start.Environment.Remove(name);
            }
        }
        start.Environment["OPS_PASSWORD"] = Password;
        start.Environment["PATH"] = bin + Path.PathSeparator + start.Environment["PATH"];

        // Linux refuses to run a script while any process holds it open for writing ("Text file busy", exit 126): a
        // process another test forks at the moment the shim is written keeps that handle until it execs. The command
        // never started then, so it is run again.
        for (var attempt = 1; ; attempt++)
        {
            var (exitCode, output) = await RunOnceAsync(start, terminal);
            if (exitCode == 126 && output.Contains("Text file busy", StringComparison.Ordinal) && attempt < 5)
            {
                await Task.Delay(200 * attempt);
                continue;
            }
            var problem = exitCode == 0 ? await CheckStoredAsync(command, folder) : null;
            return new ExampleRun(example, exitCode, output, problem);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunOnceAsync(ProcessStartInfo start, bool terminal)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a shell.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (terminal) await process.StandardInput.WriteAsync($"{Password}\n{Password}\n");
        process.StandardInput.Close();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Null when the database holds what the command asked for; else what is wrong.</summary>
    private static async Task<string?> CheckStoredAsync(string command, string folder)
    {
        var file = Path.Combine(folder, StorageSettings.DefaultSqlitePath);
        await using var db = new SqliteAppDbContext(
            new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options);
        var role = RoleOption().Match(command).Groups[1].Value;
        if (!IsUsersCreate(command))
        {
            var keys = await db.ApiKeys.ToListAsync();
            return keys.Count == 1 && keys[0].Role.Name() == role ? null : $"expected one {role} key, found {keys.Count}";
        }
        var email = EmailOption().Match(command).Groups[1].Value;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email);
        if (user is null) return $"no user {email}";
        if (user.Role != role) return $"role {user.Role}, not {role}";
        var verified = new PasswordHasher<AppUser>().VerifyHashedPassword(user, user.PasswordHash!, Password);
        return verified == PasswordVerificationResult.Failed ? "the stored password is not the one given" : null;
    }

    private static string ReadmePath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var readme = Path.Combine(folder.FullName, "README.md");
            if (File.Exists(Path.Combine(folder.FullName, "Ambassadors.sln")) && File.Exists(readme)) return readme;
        }
        throw new InvalidOperationException("README.md was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"--role\s+""?([a-z]+)")]
    private static partial Regex RoleOption();

    [GeneratedRegex(@"--email\s+""?([^\s""]+)")]
    private static partial Regex EmailOption();

    private sealed record ExampleRun(string Example, int ExitCode, string Output, string? Problem)
    {
        public bool Succeeded => ExitCode == 0 && Problem is null;

        public string Report => $"{Example}\n  exit {ExitCode}{(Problem is null ? "" : ", " + Problem)}\n  {Output.Trim().Replace("\n", "\n  ")}";
    }
}
