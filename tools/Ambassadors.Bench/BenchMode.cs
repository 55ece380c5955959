namespace Ambassadors.Bench;

/// <summary>How a benchmark run by <c>all --smoke</c> knows to keep its fixed costs (warm-ups, repeated reads) tiny.</summary>
public static class BenchMode
{
    public const string SmokeVariable = "AMBASSADORS_BENCH_SMOKE";

    /// <summary>The exit code of a benchmark whose figures missed a correctness check (as opposed to one that crashed).</summary>
    public const int CheckFailed = 3;

    public static bool Smoke => Environment.GetEnvironmentVariable(SmokeVariable) == "1";

    /// <summary><paramref name="full"/>, or <paramref name="smoke"/> in a smoke run.</summary>
    public static int Scaled(int full, int smoke) => Smoke ? smoke : full;
}
