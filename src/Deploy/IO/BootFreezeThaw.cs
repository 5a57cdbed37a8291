using System.Diagnostics;
using System.Runtime.InteropServices;
using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// ostree's fsfreeze-thaw cycle of the filesystem holding <c>/boot</c> before the boot configuration swap: FIFREEZE
/// flushes it with its journal so that a boot loader that does not replay journals (GRUB on XFS) reads the new files,
/// and FITHAW releases it at once. A watchdog process (this executable again, <see cref="RunWatchdog"/>) thaws the
/// filesystem if this process dies or hangs while it is frozen; it ignores SIGINT and SIGTERM and leaves the session.
/// Where freezing is not possible (tmpfs, no privilege, already frozen) the filesystem is synced instead.
/// </summary>
public static class BootFreezeThaw
{
    /// <summary>The environment variable naming the directory whose filesystem a watchdog process guards.</summary>
    public const string WatchdogVariable = "ARBOR_FSFREEZE_WATCHDOG";
    private const string TimeoutVariable = "ARBOR_FSFREEZE_WATCHDOG_TIMEOUT_MS";
    private const string TestVariable = "ARBOR_FSFREEZE_WATCHDOG_TEST";

    /// <summary>
    /// How to start this program again (its argv before any arguments); set by the executable. Null (a library
    /// use, in-process tests): no watchdog can be started, so the filesystem is synced and not frozen.
    /// </summary>
    public static IReadOnlyList<string>? WatchdogCommand { get; set; }

    /// <summary>Whether this process was started as a watchdog.</summary>
    public static bool IsWatchdogProcess => Environment.GetEnvironmentVariable(WatchdogVariable) is not null;

    /// <summary>The cycle on the filesystem of <paramref name="boot"/>; errors read as ostree's ("During fsfreeze-thaw: …").</summary>
    public static void Cycle(string boot, SysrootDebug debug)
    {
        if (WatchdogCommand is not { Count: > 0 } command)
        {
            DirSync.SyncFs(boot);
            return;
        }
        var psi = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment[WatchdogVariable] = boot;
        // ostree waits 30 s for the cycle before thawing; 1 s when testing, so that the test suite stays quick
        psi.Environment[TimeoutVariable] = debug.TestFifreeze ? "1000" : "30000";
        if (debug.TestFifreeze) psi.Environment[TestVariable] = "1";
        using var watchdog = StartWatchdog(psi);
        var toWatchdog = watchdog.StandardInput.BaseStream;
        if (watchdog.StandardOutput.BaseStream.ReadByte() != '!') throw Failed("read(watchdog init)");
        Signal(toWatchdog, "write(watchdog start)");
        if (debug.TestFifreeze)
        {
            watchdog.WaitForExit();
            if (watchdog.ExitCode != 0) throw Failed($"test-fifreeze: Child process exited with code {watchdog.ExitCode}");
            throw Failed("aborting due to test-fifreeze");
        }
        int e = FsFreeze.TryFreeze(boot);
        if (e != 0)
        {
            // not supported (tmpfs), not permitted, or already frozen: a syncfs does what it can
            if (e is not (Errno.EOPNOTSUPP or Errno.ENOSYS or Errno.EPERM or Errno.EBUSY)) throw Failed($"ioctl(FIFREEZE): {Errno.Describe(e)}");
            try { DirSync.SyncFs(boot); }
            catch (NativeIOException x) { throw Failed($"syncfs: {Errno.Describe(x.Errno)}"); }
            Signal(toWatchdog, "write(watchdog syncfs complete)");
            return;
        }
        e = FsFreeze.TryThaw(boot);
        if (e != 0 && e != Errno.EINVAL) throw Failed($"ioctl(FITHAW): {Errno.Describe(e)}");
        Signal(toWatchdog, "write(watchdog FITHAW complete)");
    }

    private static Process StartWatchdog(ProcessStartInfo psi)
    {
        try { return Process.Start(psi) ?? throw Failed("fork: failed to start the watchdog"); }
        catch (System.ComponentModel.Win32Exception x) { throw Failed($"fork: {x.Message}"); }
    }

    private static void Signal(Stream toWatchdog, string what)
    {
        try
        {
            toWatchdog.WriteByte((byte)'!');
            toWatchdog.Flush();
        }
        catch (IOException x) { throw Failed($"{what}: {x.Message}"); }
    }

    private static DeployException Failed(string message) => new($"During fsfreeze-thaw: {message}");

    /// <summary>
    /// The watchdog: says it is ready, waits for the start, then for the completion for as long as the timeout; when
    /// none comes in time (or its parent is gone), it thaws the filesystem itself. Returns the exit code; messages go to
    /// <paramref name="stderr"/>.
    /// </summary>
    public static int RunWatchdog(TextWriter stderr)
    {
        var boot = Environment.GetEnvironmentVariable(WatchdogVariable)!;
        int timeout = int.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), out var t) ? t : 30000;
        bool test = Environment.GetEnvironmentVariable(TestVariable) is not null;
        if (!test) FdIo.NewSession();
        using var ignoreInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var ignoreTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = true);
        Directory.SetCurrentDirectory("/");
        FdIo.WriteAll(1, "!"u8);
        if (FdIo.ReadByte(0, -1) is not ('!'))
        {
            stderr.WriteLine("arbor: fsfreeze watchdog: failed to read from parent");
            return 1;
        }
        var done = FdIo.ReadByte(0, timeout);
        if (done != '!') FsFreeze.TryThaw(boot); // no completion in time, or the parent died: not frozen for ever
        if (test) stderr.WriteLine("fifreeze watchdog was run");
        return 0;
    }
}
