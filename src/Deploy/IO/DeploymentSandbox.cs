namespace Arbor.Deploy.IO;

/// <summary>
/// Runs a program of a deployment inside that deployment through bubblewrap, as ostree's
/// run_in_deployment does: fresh <c>/dev</c>, <c>/proc</c>, <c>/run</c> and <c>/tmp</c>, the host's
/// device and bus parts of <c>/sys</c> read-only, the deployment's <c>usr</c>, <c>etc</c> and
/// <c>var</c> bound read-write and the usual merged-<c>/usr</c> links; the program is looked up
/// through <c>PATH</c> inside.
/// </summary>
internal static class DeploymentSandbox
{
    public const string Bwrap = "/usr/bin/bwrap";

    private static readonly string[] SandboxArgs =
    [
        "--dev", "/dev", "--proc", "/proc", "--dir", "/run", "--dir", "/tmp",
        "--chdir", "/",
        "--die-with-parent", "--unshare-pid", "--unshare-uts", "--unshare-ipc", "--unshare-cgroup-try",
        "--ro-bind", "/sys/block", "/sys/block",
        "--ro-bind", "/sys/bus", "/sys/bus",
        "--ro-bind", "/sys/class", "/sys/class",
        "--ro-bind", "/sys/dev", "/sys/dev",
        "--ro-bind", "/sys/devices", "/sys/devices",
        // relative to the deployment, bwrap's working directory
        "--bind", "usr", "/usr",
        "--bind", "etc", "/etc",
        "--bind", "var", "/var",
        "--symlink", "/usr/lib", "/lib",
        "--symlink", "/usr/lib32", "/lib32",
        "--symlink", "/usr/lib64", "/lib64",
        "--symlink", "/usr/bin", "/bin",
        "--symlink", "/usr/sbin", "/sbin",
    ];

    /// <summary>Runs <paramref name="argv"/> in the deployment at <paramref name="deploymentDir"/>; see <see cref="ChildProcess.RunRelayed"/>.</summary>
    public static (int ExitCode, string Output) Run(string deploymentDir, IReadOnlyList<string> argv, bool captureOutput,
        Action<string>? outputLine, Action<string>? errorLine) =>
        ChildProcess.RunRelayed(Bwrap, [.. SandboxArgs, .. argv], deploymentDir, captureOutput, outputLine, errorLine);
}
