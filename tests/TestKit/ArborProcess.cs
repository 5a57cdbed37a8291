namespace Arbor.TestKit;

/// <summary>
/// Runs the built <c>arbor</c> as a separate process (the apphost next to the test assembly), for
/// tests that must let it die — crash-safety tests kill it with <c>ARBOR_ABORT_AT</c>.
/// </summary>
public static class ArborProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "arbor");

    public static CliResult Run(IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        ProcessRunner.Run(Executable, args, env: env);
}
