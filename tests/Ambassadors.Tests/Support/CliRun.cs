namespace Ambassadors.Tests.Support;

/// <summary>What one in-process run of the command line returned and wrote.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs <c>ambassadors</c> with <paramref name="args"/>, <paramref name="stdin"/> as its input.</summary>
    public static async Task<CliRun> RunAsync(string stdin, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new StringReader(stdin);
        var exitCode = await Ambassadors.Cli.Cli.RunAsync(args, stdout, stderr, input);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}
