using Arbor.TestKit;

namespace Arbor.Boot.Tests;

/// <summary>module-setup.sh run by bash with dracut's helpers recorded instead of executed.</summary>
public sealed class DracutModuleTests
{
    private static CliResult RunModule(string body, bool systemd = true, bool binary = true)
    {
        using var tmp = new TempDirectory("dracut-");
        if (systemd)
        {
            Directory.CreateDirectory(tmp.Combine("systemd"));
            File.WriteAllText(tmp.Combine("systemd/systemd"), "");
            File.SetUnixFileMode(tmp.Combine("systemd/systemd"), (UnixFileMode)0x1ED);
        }
        var script = $$"""
            set -u
            systemdutildir={{tmp.Combine("systemd")}}
            systemdsystemunitdir=/usr/lib/systemd/system
            systemdsystemconfdir=/etc/systemd/system
            initdir={{tmp.Combine("initrd")}}
            dracut_install() { echo "dracut_install $*"; }
            inst_simple() { echo "inst_simple $*"; }
            ln_r() { echo "ln_r $*"; }
            source {{BootSources.PathOf("dracut/module-setup.sh")}}
            ARBOR_PREPARE_ROOT={{(binary ? BootBinary.Path : tmp.Combine("missing"))}}
            {{body}}
            """;
        var r = ProcessRunner.Run("bash", ["-c", script]);
        // the result outlives the temp directory only as text
        return r with { Stdout = r.Stdout.Replace(tmp.Path, "$TMP") };
    }

    [Fact]
    public void IncludedOnlyOnRequestWhenSystemdAndTheBinaryArePresent()
    {
        Assert.Equal("255\n", RunModule("check; echo $?").Stdout);
        Assert.Equal("1\n", RunModule("check; echo $?", systemd: false).Stdout);
        Assert.Equal("1\n", RunModule("check; echo $?", binary: false).Stdout);
        Assert.Equal("0\n", RunModule("depends; echo $?").Stdout);
    }

    [Fact]
    public void InstallsTheBinaryAndTheUnitWantedByInitrdRootFs()
    {
        var r = RunModule("install; echo rc=$?; test -d \"$initdir/etc/systemd/system/initrd-root-fs.target.wants\" && echo wants-dir");
        Assert.Equal(
            $"dracut_install {BootBinary.Path}\n" +
            "inst_simple /usr/lib/systemd/system/arbor-prepare-root.service\n" +
            "ln_r /usr/lib/systemd/system/arbor-prepare-root.service /etc/systemd/system/initrd-root-fs.target.wants/arbor-prepare-root.service\n" +
            "rc=0\nwants-dir\n", r.Stdout);
    }

    [Fact]
    public void TheModuleInstallsWhatTheUnitRuns()
    {
        var module = File.ReadAllText(BootSources.PathOf("dracut/module-setup.sh"));
        var exec = BootSources.ReadUnit("arbor-prepare-root.service").Values("Service", "ExecStart")[0];
        Assert.Contains($"ARBOR_PREPARE_ROOT={exec}\n", module);
        Assert.Contains("ARBOR_UNIT=arbor-prepare-root.service\n", module);
        Assert.True(File.Exists(BootSources.PathOf("systemd/arbor-prepare-root.service")));
        // the busybox /init example runs the same path
        Assert.Contains($"{exec} /sysroot ||", File.ReadAllText(BootSources.PathOf("init/init")));
    }
}
