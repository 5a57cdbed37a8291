using System.Diagnostics;
using System.Globalization;

namespace Arbor.TestKit;

/// <summary>
/// A process that holds a private mount namespace: <c>unshare -m</c> runs a set-up script (its
/// mounts), then sleeps. Commands run inside with <c>nsenter</c>; this process reaches the same files
/// through <c>/proc/PID/root</c>. Dispose kills the holder, and its mounts go with the namespace.
/// </summary>
public sealed class NamespaceHolder : IDisposable
{
    private readonly Process _process;

    private NamespaceHolder(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Starts <c>sh -c SETUP sh ARGS…</c> in a new namespace and waits until the set-up has succeeded.</summary>
    /// <param name="what">What the set-up does, for the error when it fails.</param>
    public static NamespaceHolder Start(string setup, string what, params string[] args)
    {
        var psi = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-m", "--propagation", "private", "sh", "-c", setup + " && echo ready && exec sleep 86400", "sh" }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var holder = new NamespaceHolder(Process.Start(psi) ?? throw new InvalidOperationException("cannot start unshare"));
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
        ProcessRunner.Run("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-m", "--", file, .. args], env: env);

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
