using Arbor.Deploy.BootLoader;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.BootLoader;

/// <summary>The GRUB backend with a fake grub-mkconfig named by ostree's OSTREE_GRUB2_EXEC (so no chroot).</summary>
public sealed class Grub2BackendTests : IDisposable
{
    private readonly TempDirectory _tmp = new("grub2");
    private readonly string _fake;

    public Grub2BackendTests()
    {
        _fake = _tmp.Combine("fake-mkconfig");
        File.WriteAllText(_fake, "#!/bin/sh\n{ echo \"$#|$1|$2\"; env | grep '^_OSTREE' | sort; } > \"$2\"\n");
        File.SetUnixFileMode(_fake, (UnixFileMode)0x1ED);
        Directory.CreateDirectory(_tmp.Combine("sysroot/boot/loader.1/entries"));
    }

    public void Dispose() => _tmp.Dispose();

    private Sysroot Sysroot => Sysroot.Open(_tmp.Combine("sysroot"));

    private void Write(Grub2Backend backend, string exec)
    {
        var before = Environment.GetEnvironmentVariable(Grub2Backend.ExecVariable);
        Environment.SetEnvironmentVariable(Grub2Backend.ExecVariable, exec);
        try { backend.WriteConfig(new BootLoaderWrite(Sysroot, 1, [], Booted: false)); }
        finally { Environment.SetEnvironmentVariable(Grub2Backend.ExecVariable, before); }
    }

    [Fact]
    public void BiosWritesIntoTheNewLoaderDirectory()
    {
        Write(Grub2Backend.Configured(), _fake);
        var path = _tmp.Combine("sysroot/boot/loader.1/grub.cfg");
        Assert.Equal($"2|-o|{path}\n_OSTREE_GRUB2_BOOTVERSION=1\n", File.ReadAllText(path));
    }

    [Fact]
    public void EfiReplacesTheLiveFileAndKeepsTheOldOne()
    {
        var dir = _tmp.Combine("sysroot/boot/efi/EFI/debian");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Join(dir, "grub.cfg"), "live\n");
        File.WriteAllText(Path.Join(dir, "grub.cfg.new"), "stale\n");
        var backend = Grub2Backend.Detect(Sysroot)!;
        Assert.False(backend.IsAtomic);
        Write(backend, _fake);
        Assert.Equal($"2|-o|{Path.Join(dir, "grub.cfg.new")}\n_OSTREE_GRUB2_BOOTVERSION=1\n_OSTREE_GRUB2_IS_EFI=1\n", File.ReadAllText(Path.Join(dir, "grub.cfg")));
        Assert.Equal("live\n", File.ReadAllText(Path.Join(dir, "grub.cfg.old")));
        Assert.False(File.Exists(Path.Join(dir, "grub.cfg.new")));
    }

    [Fact]
    public void Failures()
    {
        var missing = _tmp.Combine("no-such-mkconfig");
        Assert.Equal($"Failed to execute child process “{missing}” (No such file or directory)",
            Assert.Throws<DeployException>(() => Write(Grub2Backend.Configured(), missing)).Message);
        Assert.Equal("false: Child process exited with code 1",
            Assert.Throws<DeployException>(() => Write(Grub2Backend.Configured(), "false")).Message);
        Assert.Equal($"openat({_tmp.Combine("sysroot/boot/loader.1/grub.cfg")}): No such file or directory",
            Assert.Throws<DeployException>(() => Write(Grub2Backend.Configured(), "true")).Message);
    }
}
