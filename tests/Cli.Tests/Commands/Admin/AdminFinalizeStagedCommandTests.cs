using System.Diagnostics;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Admin;

/// <summary><c>arbor admin finalize-staged</c> outside a booted system, and <c>--hold</c>.</summary>
public sealed class AdminFinalizeStagedCommandTests
{
    [Fact]
    public void NothingStagedIsNotAnError()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        var before = TreeListing.Capture(f.Path);
        var r = CliRunner.Run("admin", "finalize-staged", "--sysroot=" + f.Path);
        Assert.True(r.ExitCode == 0 && r.Stdout.Length == 0 && r.Stderr.Length == 0, r.ToString());
        Assert.Equal(before, TreeListing.Capture(f.Path));
    }

    [Fact]
    public void StagingNeedsTheRunningSystem()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        var before = TreeListing.Capture(f.Path);
        var r = CliRunner.Run("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "--stage", "vectoros/stable");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: Cannot stage deployment: Not currently booted into an OSTree system\n", r.Stderr);
        Assert.Equal(before, TreeListing.Capture(f.Path));
    }

    [Fact]
    public void HoldKeepsBootOpenUntilSigterm()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var psi = new ProcessStartInfo(ArborProcess.Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "admin", "finalize-staged", "--hold", "--sysroot=" + f.Path }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var boot = Path.GetFullPath(Path.Join(f.Path, "boot"));
        // wait until it holds /boot open (a directory fd in /proc/PID/fd)
        var deadline = DateTime.UtcNow.AddSeconds(20);
        bool holding = false;
        while (!holding && DateTime.UtcNow < deadline && !p.HasExited)
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{p.Id}/fd"))
            {
                try { holding |= new FileInfo(fd).LinkTarget == boot; }
                catch (IOException) { }
            }
            if (!holding) Thread.Sleep(50);
        }
        Assert.True(holding, "arbor admin finalize-staged --hold did not open " + boot);
        Assert.False(p.HasExited);
        Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(p.WaitForExit(10_000));
        Assert.Equal(0, p.ExitCode);
    }
}
