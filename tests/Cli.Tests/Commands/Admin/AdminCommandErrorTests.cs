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
        Assert.Equal("error: Unknown option -1\n", CliRunner.Run("admin", "undeploy", "-1", "--sysroot=" + f.Path).Stderr);
    }

    /// <summary>A cleanup failing says which one, in ostree's words: deploy's initial one, the final one of a deployment list written.</summary>
    [Fact]
    public void CleanupErrorsSayWhichCleanup()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.RunVectorScenario();
        Directory.CreateDirectory(f.Full("ostree/deploy/vectoros/deploy/etc"));
        const string invalid = "Cleaning deployments: Invalid deploy name 'etc', expected CHECKSUM.TREESERIAL\n";
        Assert.Equal("error: Performing initial cleanup: " + invalid,
            CliRunner.Run("admin", "deploy", "--os=vectoros", "vectoros/stable", "--sysroot=" + f.Path).Stderr);
        Assert.Equal("error: Performing final cleanup: " + invalid, CliRunner.Run("admin", "undeploy", "1", "--sysroot=" + f.Path).Stderr);
    }

    /// <summary>
    /// Each command reads its index as ostree does: pin with g_ascii_strtoull, undeploy and set-default
    /// with atoi, set-origin's --index as a GOption integer (-1: the booted deployment); an index
    /// looking like an option is one, and <c>admin</c> drops <c>--</c> and what follows it.
    /// </summary>
    [Fact]
    public void IndexesAreReadAsOstreeReadsThem()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.RunVectorScenario();
        var sysroot = "--sysroot=" + f.Path;
        string Err(params string[] args) => CliRunner.Run(["admin", .. args, sysroot]).Stderr;
        Assert.Equal("Deployment  1 is now pinned\n", CliRunner.RunOk("admin", "pin", " 1", sysroot));
        Assert.Equal("Deployment +1 is already pinned\n", CliRunner.RunOk("admin", "pin", "+1", sysroot));
        Assert.Equal("Deployment  is already unpinned\n", CliRunner.RunOk("admin", "pin", "-u", "", sysroot));
        Assert.Equal("Deployment 4294967296 is already unpinned\n", CliRunner.RunOk("admin", "pin", "-u", "4294967296", sysroot));
        Assert.Equal("error: Index too large: 99999999999999999999\n", Err("pin", "99999999999999999999"));
        Assert.Equal("error: Invalid index: 0x1\n", Err("pin", "0x1"));
        Assert.Equal("error: Unknown option -1\n", Err("pin", "0", "-1"));
        Assert.Equal("error: INDEX must be specified\n", CliRunner.Run("admin", "pin", sysroot, "--", "0").Stderr);
        Assert.Equal("error: Out of range deployment index 5, expected < 2\n", Err("undeploy", "5x", "0"));
        Assert.Equal("error: Out of range deployment index 1215752191, expected < 2\n", Err("set-default", "99999999999"));

        Assert.Equal("error: Cannot parse integer value \u201c1x\u201d for --index\n", Err("set-origin", "--index=1x", "r", "http://e"));
        Assert.Equal("error: Integer value \u201c99999999999\u201d for --index out of range\n", Err("set-origin", "--index=99999999999", "r", "http://e"));
        Assert.Equal("error: Not currently booted into an OSTree system\n", Err("set-origin", "--index=-1", "r", "http://e"));
        Assert.Equal("error: Invalid index -2\n", Err("set-origin", "--index=-2", "r", "http://e"));
        // hexadecimal as strtol reads it; arguments after BRANCH are ignored
        CliRunner.RunOk("admin", "set-origin", "--index=0x1", "r", "http://e", "other/branch", "extra", sysroot);
        Assert.Equal("refspec=r:other/branch", File.ReadAllLines(f.Full(f.Load()[1].OriginRelativePath))[1]);
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
