using Arbor.Deploy.Etc;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Etc;

/// <summary>
/// The semodule run after an /etc merge: only for a deployment with <c>etc/selinux/config</c>,
/// inside the deployment (its own <c>/usr</c>, <c>/etc</c>, <c>/var</c>), with the program's lines
/// handed to the caller's writers.
/// </summary>
public sealed class SelinuxPolicyRebuildTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbor-semodule-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_dir, true);

    private void Deployment(string semodule)
    {
        foreach (var d in new[] { "usr/bin", "etc/selinux", "var" }) Directory.CreateDirectory(Path.Join(_dir, d));
        File.Copy("/bin/busybox", Path.Join(_dir, "usr/bin/busybox"));
        File.WriteAllText(Path.Join(_dir, "usr/bin/semodule"), "#!/usr/bin/busybox sh\n" + semodule);
        File.SetUnixFileMode(Path.Join(_dir, "usr/bin/semodule"), (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Join(_dir, "etc/selinux/config"), "SELINUX=disabled\n");
    }

    [Fact]
    public void WithoutSelinuxConfigNothingRuns()
    {
        // no usr, etc or var to bind: a sandbox would fail
        Directory.CreateDirectory(_dir);
        SelinuxPolicyRebuild.Run(_dir, _ => Assert.Fail("output"), _ => Assert.Fail("error"));
    }

    [Fact]
    public void RebuildsInsideTheDeploymentAndPassesItsLinesOn()
    {
        Privileged.RequireRoot();
        Deployment("""
            if [ "$1" = --help ]; then echo "  --rebuild-if-modules-changed"; echo help-err >&2; exit 0; fi
            echo "$@" > /etc/args; /usr/bin/busybox ls /var > /etc/var
            echo out; echo err >&2
            """);
        File.WriteAllText(Path.Join(_dir, "var/mine"), "");
        List<string> output = [], errors = [];
        SelinuxPolicyRebuild.Run(_dir, output.Add, errors.Add);
        Assert.Equal("-N --rebuild-if-modules-changed\n", File.ReadAllText(Path.Join(_dir, "etc/args")));
        Assert.Equal("mine\n", File.ReadAllText(Path.Join(_dir, "etc/var")));
        Assert.Equal(["out"], output);
        Assert.Equal(["help-err", "err"], errors);
    }

    [Fact]
    public void ASemoduleWithoutTheFlagIsNotRun()
    {
        Privileged.RequireRoot();
        Deployment("""
            if [ "$1" = --help ]; then echo "usage: semodule"; exit 0; fi
            echo ran > /etc/args
            """);
        SelinuxPolicyRebuild.Run(_dir, null, null);
        Assert.False(File.Exists(Path.Join(_dir, "etc/args")));
    }

    [Fact]
    public void FailuresAreGlibsWords()
    {
        Privileged.RequireRoot();
        Deployment("""
            if [ "$1" = --help ]; then echo "  --rebuild-if-modules-changed"; exit 0; fi
            exit 4
            """);
        Assert.Equal("Child process exited with code 4", Assert.Throws<DeployException>(() => SelinuxPolicyRebuild.Run(_dir, null, null)).Message);
        File.WriteAllText(Path.Join(_dir, "usr/bin/semodule"), "#!/usr/bin/busybox sh\nexit 2\n");
        Assert.Equal("failed to run semodule: Child process exited with code 2", Assert.Throws<DeployException>(() => SelinuxPolicyRebuild.Run(_dir, null, null)).Message);
    }
}
