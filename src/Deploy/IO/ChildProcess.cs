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
/// <remarks>Where ostree lets a child write to its own stdout and stderr, <see cref="RunRelayed"/>
/// passes the child's lines to the command's writers instead, so they land where arbor's own output goes.</remarks>
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
        using (var p = Start(psi))
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

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="workingDirectory"/> with arbor's environment,
    /// its stderr lines passed to <paramref name="errorLine"/> and its stdout lines to
    /// <paramref name="outputLine"/>, or, when <paramref name="captureOutput"/>, kept and returned.
    /// Returns the exit status and the captured stdout ("" when relayed).
    /// </summary>
    public static (int ExitCode, string Output) RunRelayed(string program, IReadOnlyList<string> args, string workingDirectory,
        bool captureOutput, Action<string>? outputLine, Action<string>? errorLine)
    {
        var psi = new ProcessStartInfo(program)
        {
            UseShellExecute = false, WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using (var p = Start(psi))
        {
            var gate = new object();
            p.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (gate) errorLine?.Invoke(line); };
            p.BeginErrorReadLine();
            string output = "";
            if (captureOutput) output = p.StandardOutput.ReadToEnd();
            else
            {
                p.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (gate) outputLine?.Invoke(line); };
                p.BeginOutputReadLine();
            }
            p.WaitForExit();
            return (p.ExitCode, output);
        }
    }

    /// <summary>GLib's g_spawn_check_exit_status text for a non-zero exit.</summary>
    public static string ExitText(int code) => $"Child process exited with code {code.ToString(CultureInfo.InvariantCulture)}";

    private static Process Start(ProcessStartInfo psi)
    {
        try { return Process.Start(psi) ?? throw FailedToExecute(psi.FileName, Errno.ENOENT); }
        catch (Win32Exception e) { throw FailedToExecute(psi.FileName, e.NativeErrorCode); }
    }

    public static DeployException FailedToExecute(string program, int errno) =>
        new($"Failed to execute child process “{program}” ({Errno.Describe(errno)})");
}
