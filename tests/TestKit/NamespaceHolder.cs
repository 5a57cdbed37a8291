using System.Diagnostics;
using System.Globalization;

namespace Arbor.TestKit;

/// <summary>
/// A process that holds a private mount namespace (and, if asked, network namespace): <c>unshare -m</c> runs a set-up script (its
/// mounts), then sleeps. Commands run inside with <c>nsenter</c>; this process reaches the same files
/// through <c>/proc/PID/root</c>. Dispose kills the holder, and its mounts go with the namespace.
/// </summary>
public sealed class NamespaceHolder : IDisposable
{
    private readonly Process _process;
    private readonly bool _network;

    private NamespaceHolder(Process process, bool network)
    {
        _process = process;
        _network = network;
    }

    public int Pid => _process.Id;

    /// <summary>Starts <c>sh -c SETUP sh ARGS…</c> in a new namespace and waits until the set-up has succeeded.</summary>
    /// <param name="what">What the set-up does, for the error when it fails.</param>
    public static NamespaceHolder Start(string setup, string what, params string[] args) => Start(setup, what, network: false, args);

    /// <summary>The same, in a private network namespace too (<c>unshare -n</c>: only a loopback, down, until the set-up brings it up).</summary>
    public static NamespaceHolder StartNetworked(string setup, string what, params string[] args) => Start(setup, what, network: true, args);

    private static NamespaceHolder Start(string setup, string what, bool network, string[] args)
    {
        var psi = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (network) psi.ArgumentList.Add("-n");
        foreach (var a in new[] { "-m", "--propagation", "private", "sh", "-c", setup + " && echo ready && exec sleep 86400", "sh" }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var holder = new NamespaceHolder(Process.Start(psi) ?? throw new InvalidOperationException("cannot start unshare"), network);
        if (holder._process.StandardOutput.ReadLine() != "ready")
        {
            var err = holder._process.StandardError.ReadToEnd();
            holder.Dispose();
            throw new InvalidOperationException($"could not {what}: {err}");
        }
        return holder;
    }

    /// <summary>A path inside the namespace as this process sees it.</summary>
    public string HostPath(string inner) => $"/proc/{Pid}/root{inner}";

    /// <summary>Runs a program inside the namespace.</summary>
    public CliResult Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        ProcessRunner.Run("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-m", .. (_network ? (string[])["-n"] : []), "--", file, .. args], env: env);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
    }
}
