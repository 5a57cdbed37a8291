using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// Runs a helper program as ostree's g_spawn_sync does for the boot loader backends, with GLib's
/// wording for the two failures: "Failed to execute child process “PROG” (ERRNO TEXT)" and
/// "Child process exited with code N". A bare program name is looked up in <c>$PATH</c>.
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs the program; a non-zero exit is "PROG: Child process exited with code N" (PROG being <paramref name="shownName"/> if given).</summary>
    /// <param name="quiet">Send the child's stdout and stderr to nowhere (otherwise they are inherited).</param>
    public static void Run(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, bool quiet, string? shownName = null)
    {
        int code = RunForExitCode(program, args, env, quiet);
        if (code != 0) throw new DeployException($"{shownName ?? program}: {ExitText(code)}");
    }

    /// <summary>Runs the program and returns its exit code; only a failure to start it throws.</summary>
    public static int RunForExitCode(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, bool quiet)
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
            return p.ExitCode;
        }
    }

    /// <summary>GLib's g_spawn_check_exit_status text for a non-zero exit.</summary>
    public static string ExitText(int code) => $"Child process exited with code {code.ToString(CultureInfo.InvariantCulture)}";

    public static DeployException FailedToExecute(string program, int errno) =>
        new($"Failed to execute child process “{program}” ({Errno.Describe(errno)})");
}
