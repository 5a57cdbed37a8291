using Arbor.Deploy.BootLoader;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.BootLoader;

/// <summary>
/// The zipl backend in-process, on a scratch root that is also the sysroot (as on a booted system),
/// with a fake <c>zipl</c> first in <c>$PATH</c> that logs how it was run. The Secure Execution
/// steps that mount the SE partition are covered by the compatibility tests (in a namespace).
/// </summary>
public sealed class ZiplBackendTests : IDisposable
{
    private readonly TempDirectory _tmp = new("zipl");
    private readonly string _root;
    private readonly string _bin;

    public ZiplBackendTests()
    {
        _root = _tmp.Combine("root");
        _bin = _tmp.Combine("bin");
        Directory.CreateDirectory(Path.Join(_root, "boot/loader.1/entries"));
        Directory.CreateDirectory(_bin);
        File.WriteAllText(Path.Join(_bin, "zipl"),
            $"#!/bin/sh\n{{ echo \"zipl $#\"; test -e {Stamp} && echo stamp; }} >> {Log}\nexit $(cat {_tmp.Combine("zipl-exit")} 2>/dev/null || echo 0)\n");
        File.SetUnixFileMode(Path.Join(_bin, "zipl"), (UnixFileMode)0x1ED);
    }

    public void Dispose() => _tmp.Dispose();

    private string Stamp => Path.Join(_root, ZiplBackend.StampPath);
    private string Log => _tmp.Combine("zipl.log");
    private string? LogText => File.Exists(Log) ? File.ReadAllText(Log) : null;

    private BootLoaderWrite Write(bool booted) =>
        new(Sysroot.Open(_root, new SysrootOptions { RootPath = _root, RunDirectory = _root + "/run" }), 1, [], booted);

    /// <summary>WriteConfig then PostBlsSync, with the fake zipl directory first in $PATH.</summary>
    private void Deploy(bool booted)
    {
        var backend = BootLoaderDetection.Query(Sysroot.Open(_root), new BootLoaderConfig("zipl", []));
        Assert.IsType<ZiplBackend>(backend);
        backend.WriteConfig(Write(booted));
        Assert.Equal(0, new FileInfo(Stamp).Length);
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", _bin + ":" + path);
        try { backend.PostBlsSync(Write(booted)); }
        finally { Environment.SetEnvironmentVariable("PATH", path); }
    }

    [Fact]
    public void OnTheBootedSystemZiplRunsWithoutArgumentsAndTheStampGoes()
    {
        Deploy(booted: true);
        Assert.Equal("zipl 0\nstamp\n", LogText);
        Assert.False(File.Exists(Stamp));
    }

    [Fact]
    public void NotBootedTheStampStaysForLater()
    {
        Deploy(booted: false);
        Assert.Null(LogText);
        Assert.True(File.Exists(Stamp));
    }

    [Fact]
    public void WithoutTheStampThereIsNothingToDo()
    {
        var backend = new ZiplBackend();
        backend.PostBlsSync(Write(booted: true));
        Assert.Null(LogText);
    }

    [Fact]
    public void AFailingZiplKeepsTheStamp()
    {
        File.WriteAllText(_tmp.Combine("zipl-exit"), "3\n");
        Assert.Equal("Child process exited with code 3", Assert.Throws<DeployException>(() => Deploy(booted: true)).Message);
        Assert.Equal("zipl 0\nstamp\n", LogText);
        Assert.True(File.Exists(Stamp));
    }

    [Fact]
    public void AMissingZiplFailsAsGlibSays()
    {
        File.Delete(Path.Join(_bin, "zipl"));
        Assert.Equal("Failed to execute child process “zipl” (No such file or directory)",
            Assert.Throws<DeployException>(() => Deploy(booted: true)).Message);
        Assert.True(File.Exists(Stamp));
    }

    private void SecureExecutionFlag(string text)
    {
        Directory.CreateDirectory(Path.Join(_root, "sys/firmware/uv"));
        File.WriteAllText(Path.Join(_root, SecureExecution.SysfsFlag), text);
    }

    [Fact]
    public void AZeroSecureExecutionFlagMeansPlainZipl()
    {
        SecureExecutionFlag("0\n");
        Deploy(booted: true);
        Assert.Equal("zipl 0\nstamp\n", LogText);
    }

    [Fact]
    public void SecureExecutionNeedsHostKeysAndThePartition()
    {
        SecureExecutionFlag("1\n");
        Assert.Equal($"s390x SE: looking for SE keys: opendir({_root}/etc/se-hostkeys/): No such file or directory",
            Assert.Throws<DeployException>(() => Deploy(booted: true)).Message);

        var keys = Path.Join(_root, "etc/se-hostkeys");
        Directory.CreateDirectory(keys);
        File.WriteAllText(Path.Join(keys, "other-hostkey.crt"), "");
        Assert.Equal("s390x SE: no keys", Assert.Throws<DeployException>(() => Deploy(booted: true)).Message);

        File.WriteAllText(Path.Join(keys, "ibm-z-hostkey-1.crt"), "");
        Assert.Equal($"s390x SE: resolving {_root}/dev/disk/by-label/se: No such file or directory",
            Assert.Throws<DeployException>(() => Deploy(booted: true)).Message);
        // zipl itself was never run, and the stamp stays
        Assert.Null(LogText);
        Assert.True(File.Exists(Stamp));
    }

    [Fact]
    public void HostKeysAreTheFilesWithTheirPrefixInDirectoryOrder()
    {
        var keys = Path.Join(_root, "etc/se-hostkeys");
        Directory.CreateDirectory(keys);
        foreach (var name in new[] { "ibm-z-hostkey-b.crt", "README", "ibm-z-hostkey-a.crt", "xibm-z-hostkey" })
            File.WriteAllText(Path.Join(keys, name), "");
        var expected = Directory.EnumerateFileSystemEntries(keys).Where(p => Path.GetFileName(p).StartsWith("ibm-z-hostkey", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, new SecureExecution(_root).HostKeys());
    }
}
