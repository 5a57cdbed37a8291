using System.ComponentModel;
using System.Diagnostics;
using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// Runs a helper program as ostree's g_spawn_sync does for the boot loader backends, with GLib's
/// wording for the two failures: "Failed to execute child process “PROG” (ERRNO TEXT)" and
/// "Child process exited with code N".
/// </summary>
internal static class ChildProcess
{
    /// <param name="quiet">Send the child's stdout and stderr to nowhere (otherwise they are inherited).</param>
    public static void Run(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, bool quiet, string? shownName = null)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = quiet, RedirectStandardError = quiet };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        Process p;
        try { p = Process.Start(psi) ?? throw FailedToExecute(program, Errno.ENOENT); }
        catch (Win32Exception e) { throw FailedToExecute(program, e.NativeErrorCode); }
        using (p)
        {
            if (quiet)
            {
                var o = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                var e = p.StandardError.BaseStream.CopyToAsync(Stream.Null);
                o.GetAwaiter().GetResult();
                e.GetAwaiter().GetResult();
            }
            p.WaitForExit();
            if (p.ExitCode != 0) throw new DeployException($"{shownName ?? program}: Child process exited with code {p.ExitCode}");
        }
    }

    public static DeployException FailedToExecute(string program, int errno) =>
        new($"Failed to execute child process “{program}” ({Errno.Describe(errno)})");
}
