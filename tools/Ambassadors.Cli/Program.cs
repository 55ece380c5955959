using System.CommandLine;
using System.CommandLine.Help;

namespace Ambassadors.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => Cli.RunAsync(args, Console.Out, Console.Error, Console.In);
}

/// <summary>The <c>ambassadors</c> command line, runnable in-process (tests pass their own streams).</summary>
public static class Cli
{
    /// <summary>Parses and runs one command line; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="stdin">Where a password is read from when none is given; when this is the process's own,
    /// not redirected console input, the password is prompted for without echo instead.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        ArgumentNullException.ThrowIfNull(args);
        var io = new CliIo(stdout, stderr, stdin, IsInteractive(stdin), IsTerminal(stderr));
        try
        {
            var root = BuildRootCommand(io);
            var parseResult = root.Parse(args);
            if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
            {
                foreach (var error in parseResult.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
                await stderr.WriteLineAsync("Run 'ambassadors --help' (or '<command> --help') for usage.");
                return ExitCodes.InvalidInput;
            }
            return await parseResult.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception exception)
        {
            // Actions report their own failures; this is for the parser itself.
            await stderr.WriteLineAsync($"error: {exception.Message}");
            return ExitCodes.Error;
        }
    }

    /// <summary>The whole command tree: global options, then one group per file.</summary>
    internal static RootCommand BuildRootCommand(CliIo io)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("Ambassadors: database set-up, access administration, payouts and demo data. " + ExitCodes.Help);
        globals.AddTo(root);
        root.Subcommands.Add(MigrateCommand.Create(globals, io));
        root.Subcommands.Add(ApiKeyCommands.Create(globals, io));
        root.Subcommands.Add(UserCommands.Create(globals, io));
        root.Subcommands.Add(PayoutCommands.Create(globals, io));
        root.Subcommands.Add(Demo.DemoCommand.Create(globals, io));
        return root;
    }

    /// <summary>Whether stderr is the process's own, a terminal that understands a carriage return.</summary>
    private static bool IsTerminal(TextWriter stderr)
    {
        try
        {
            return ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected
                && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsInteractive(TextReader stdin)
    {
        try
        {
            return ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
