using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Admin;

/// <summary>Usage and input errors of the admin commands: one line, non-zero exit, ostree's words.</summary>
public sealed class AdminCommandErrorTests
{
    [Theory]
    [InlineData("init-fs")]
    [InlineData("os-init")]
    [InlineData("undeploy")]
    [InlineData("pin")]
    [InlineData("set-default")]
    public void MissingArgument(string command)
    {
        using var f = new ArborSysroot();
        var r = CliRunner.Run("admin", command, "--sysroot=" + f.Path);
        Assert.Equal(1, r.ExitCode);
        var what = command switch { "init-fs" => "PATH", "os-init" => "OSNAME", _ => "INDEX" };
        Assert.Equal($"error: {what} must be specified\n", r.Stderr);
    }

    [Fact]
    public void InitFsNeedsAnExistingDirectory()
    {
        using var tmp = new TempDirectory("initfs");
        var r = CliRunner.Run("admin", "init-fs", tmp.Combine("nope"));
        Assert.Equal($"error: opendir({tmp.Combine("nope")}): No such file or directory\n", r.Stderr);
        Assert.Equal(r.Stderr, OstreeOracle.Run("admin", "init-fs", tmp.Combine("nope")).Stderr);
    }

    [Fact]
    public void OsInitTwiceAndBadNames()
    {
        using var f = new ArborSysroot();
        var r = CliRunner.Run("admin", "os-init", "vectoros", "--sysroot=" + f.Path);
        Assert.Equal("error: Creating ostree/deploy/vectoros: File exists\n", r.Stderr);
        Assert.Equal(r.Stderr, OstreeOracle.Run("admin", "os-init", "vectoros", "--sysroot=" + f.Path).Stderr);
        r = CliRunner.Run("admin", "os-init", "../escape", "--sysroot=" + f.Path);
        Assert.Equal("error: Invalid stateroot name '../escape'\n", r.Stderr);
        Assert.False(Directory.Exists(Path.Join(f.Path, "ostree/escape")));
        Assert.Equal("ostree/deploy/other initialized as OSTree root\n", CliRunner.RunOk("admin", "os-init", "other", "--sysroot=" + f.Path));
        Assert.Equal("ostree/deploy/third initialized as OSTree root\n", CliRunner.RunOk("admin", "stateroot-init", "third", "--sysroot=" + f.Path));
    }

    [Fact]
    public void IndexesAreChecked()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.RunVectorScenario();
        Assert.Equal("error: Invalid index: x\n", CliRunner.Run("admin", "pin", "x", "--sysroot=" + f.Path).Stderr);
        Assert.Equal("error: Out of range deployment index 2, expected < 2\n", CliRunner.Run("admin", "pin", "2", "--sysroot=" + f.Path).Stderr);
        Assert.Equal("error: Out of range deployment index 7, expected < 2\n", CliRunner.Run("admin", "set-default", "7", "--sysroot=" + f.Path).Stderr);
        Assert.Equal("error: Invalid index: -1\n", CliRunner.Run("admin", "undeploy", "-1", "--sysroot=" + f.Path).Stderr);
    }

    [Fact]
    public void UnlockNeedsABootedSystemAndNoArguments()
    {
        using var f = new ArborSysroot();
        var r = CliRunner.Run("admin", "unlock", "--sysroot=" + f.Path);
        Assert.Equal((1, "error: Not currently booted into an OSTree system\n"), (r.ExitCode, r.Stderr));
        Assert.Equal(r.Stderr, OstreeOracle.Run("admin", "unlock", "--sysroot=" + f.Path).Stderr);
        r = CliRunner.Run("admin", "unlock", "--hotfix", "extra", "--sysroot=" + f.Path);
        Assert.Equal((1, "error: This command takes no extra arguments\n"), (r.ExitCode, r.Stderr));
    }

    [Fact]
    public void ConfigDiffOnAnUnbootedSysrootNeedsOs()
    {
        using var f = new ArborSysroot();
        var r = CliRunner.Run("admin", "config-diff", "--sysroot=" + f.Path);
        Assert.Equal("error: Not currently booted into an OSTree system and no --os= argument given\n", r.Stderr);
        Assert.Equal(r.Stderr, OstreeOracle.Run("admin", "config-diff", "--sysroot=" + f.Path).Stderr);
        Assert.Equal("error: No deployment for OS 'vectoros'\n", CliRunner.Run("admin", "config-diff", "--os=vectoros", "--sysroot=" + f.Path).Stderr);
    }

    [Fact]
    public void AKernelArgumentWithALineBreakIsRefusedBeforeAnythingIsWritten()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.RunVectorScenario();
        var deployDir = Path.Join(f.Path, "ostree/deploy/vectoros/deploy");
        var before = Directory.GetFileSystemEntries(deployDir).Order().ToArray();
        var entries = Directory.GetFiles(Path.Join(f.Path, "boot/loader/entries")).Select(File.ReadAllText).ToArray();

        foreach (var args in new[]
        {
            new[] { "deploy", "--os=vectoros", "--karg=a\nb", "vectoros/stable" },
            ["deploy", "--os=vectoros", "--karg-append=x\ninit=/bin/sh", "vectoros/stable"],
            ["kargs", "edit-in-place", "--append-if-missing=a\nb"],
        })
        {
            var r = CliRunner.Run(["admin", .. args, "--sysroot=" + f.Path]);
            Assert.Equal(1, r.ExitCode);
            Assert.Matches("^error: Invalid kernel argument '[a-z]+\\\\n[a-z=/]+': it contains a line break\n$", r.Stderr);
        }
        Assert.Equal(before, Directory.GetFileSystemEntries(deployDir).Order().ToArray());
        Assert.Equal(entries, Directory.GetFiles(Path.Join(f.Path, "boot/loader/entries")).Select(File.ReadAllText).ToArray());
    }

    [Fact]
    public void KargsListAndRollbackErrors()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        Assert.Equal("error: Unable to find a deployment in sysroot\n", CliRunner.Run("admin", "kargs", "list", "--sysroot=" + f.Path).Stderr);
        Assert.Equal("error: No deployments found\n", CliRunner.Run("admin", "rollback", "--sysroot=" + f.Path).Stderr);
        f.RunVectorScenario();
        var kargs = CliRunner.RunOk("admin", "kargs", "list", "--sysroot=" + f.Path).Split('\n');
        Assert.Equal(["root=LABEL=root", "quiet"], kargs[..2]);
        Assert.StartsWith("ostree=/ostree/boot.0/vectoros/", kargs[2]);
    }
}
