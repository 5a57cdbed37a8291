namespace Arbor.TestKit;

/// <summary>
/// Runs the same command line with either tool, by name ("ostree" or "arbor"), for compat tests
/// that drive both through one scenario.
/// </summary>
public static class ToolRunner
{
    public static CliResult Run(string tool, params string[] args) => tool == "ostree" ? OstreeOracle.Run(args) : CliRunner.Run(args);

    /// <summary>Runs and asserts success, returning stdout.</summary>
    public static string RunOk(string tool, params string[] args)
    {
        var r = Run(tool, args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"{tool} {string.Join(' ', args)} failed:\n{r}");
        return r.Stdout;
    }
}
