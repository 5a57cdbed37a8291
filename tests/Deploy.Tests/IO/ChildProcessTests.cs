using Arbor.Deploy.IO;

namespace Arbor.Deploy.Tests.IO;

public sealed class ChildProcessTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void SuccessReturnsAndTheEnvironmentIsPassed()
    {
        ChildProcess.Run("sh", ["-c", "test \"$X\" = 1"], new Dictionary<string, string> { ["X"] = "1" }, quiet: true);
    }

    [Fact]
    public void FailuresUseGlibsWords()
    {
        Assert.Equal("sh: Child process exited with code 3",
            Assert.Throws<DeployException>(() => ChildProcess.Run("sh", ["-c", "echo noise; echo noise >&2; exit 3"], NoEnv, quiet: true)).Message);
        Assert.Equal("shown: Child process exited with code 1",
            Assert.Throws<DeployException>(() => ChildProcess.Run("false", [], NoEnv, quiet: true, shownName: "shown")).Message);
        Assert.Equal("Failed to execute child process “/nonexistent/prog” (No such file or directory)",
            Assert.Throws<DeployException>(() => ChildProcess.Run("/nonexistent/prog", [], NoEnv, quiet: true)).Message);
    }

    [Fact]
    public void RunForExitCodeReportsTheCodeAndFailsOnlyToStart()
    {
        Assert.Equal(0, ChildProcess.RunForExitCode("true", [], NoEnv, quiet: true));
        Assert.Equal(7, ChildProcess.RunForExitCode("sh", ["-c", "exit 7"], NoEnv, quiet: true));
        Assert.Equal("Child process exited with code 7", ChildProcess.ExitText(7));
        Assert.Equal("Failed to execute child process “no-such-program-zipl” (No such file or directory)",
            Assert.Throws<DeployException>(() => ChildProcess.RunForExitCode("no-such-program-zipl", [], NoEnv, quiet: true)).Message);
    }
}
