using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// s390x Secure Execution, as ostree 2022.7's zipl backend handles it after the boot loader swap:
/// when <c>/sys/firmware/uv/prot_virt_guest</c> holds a "1", the default entry's kernel, its initrd
/// with the LUKS keys appended (<see cref="SecureExecutionInitrd"/>) and its options are sealed by
/// <c>genprotimg</c> with the host keys <c>/etc/se-hostkeys/ibm-z-hostkey*</c> into
/// <c>/sysroot/se/sdboot</c>, on the ext4 partition labelled <c>se</c> mounted there for the time
/// being, and <c>zipl -V -t /sysroot/se -i /sysroot/se/sdboot</c> installs it. Every path is taken
/// from the running system's root (<see cref="SysrootOptions.RootPath"/>, "/" outside tests).
/// </summary>
internal sealed class SecureExecution(string root)
{
    public const string SysfsFlag = "sys/firmware/uv/prot_virt_guest";
    public const string Partition = "dev/disk/by-label/se";
    public const string MountPoint = "sysroot/se";
    public const string BootImage = "sysroot/se/sdboot";
    public const string HostKeyDir = "etc/se-hostkeys";
    public const string HostKeyPrefix = "ibm-z-hostkey";
    /// <summary>Where genprotimg's inputs are made (glnx_open_anonymous_tmpfile).</summary>
    public const string TmpDir = "var/tmp";

    /// <summary>A path of the running system: "/" + <paramref name="rel"/> on a real system.</summary>
    public string Host(string rel) => Path.Join(root, rel);

    /// <summary>True when the sysfs flag exists and contains a "1".</summary>
    public bool IsEnabled()
    {
        var flag = Host(SysfsFlag);
        try { return File.ReadAllText(flag).Contains('1', StringComparison.Ordinal); }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        catch (IOException e) { throw new DeployException($"openat({flag}): {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new DeployException($"openat({flag}): Permission denied", e); }
    }

    /// <summary>The host keys, in directory order, as full paths.</summary>
    public List<string> HostKeys()
    {
        var dir = Host(HostKeyDir) + "/";
        try
        {
            return Directory.EnumerateFileSystemEntries(dir)
                .Where(p => Path.GetFileName(p).StartsWith(HostKeyPrefix, StringComparison.Ordinal))
                .Select(p => dir + Path.GetFileName(p)).ToList();
        }
        catch (DirectoryNotFoundException e) { throw new DeployException($"s390x SE: looking for SE keys: opendir({dir}): No such file or directory", e); }
        catch (IOException e) { throw new DeployException($"s390x SE: looking for SE keys: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new DeployException($"s390x SE: looking for SE keys: opendir({dir}): Permission denied", e); }
    }

    /// <summary>Mounts the SE partition, builds and installs <c>sdboot</c> for the first entry of <paramref name="write"/>'s boot version, unmounts.</summary>
    public void Enable(BootLoaderWrite write, IReadOnlyList<string> keys)
    {
        MountPartition();
        try
        {
            var (vmlinuz, initramfs, options) = DefaultEntry(write);
            GenerateSdboot(vmlinuz, initramfs, options, keys);
            Spawn("zipl", ["-V", "-t", Host(MountPoint), "-i", Host(BootImage)]);
        }
        catch
        {
            // ostree leaves the partition mounted when a step fails; arbor does not (best effort:
            // the step's own error is the one reported)
            try { Mount.Unmount(Host(MountPoint)); } catch (IOException) { }
            throw;
        }
        try { Mount.Unmount(Host(MountPoint)); }
        catch (NativeIOException e) { throw new DeployException($"s390x SE: Unmounting {Host(MountPoint)}: {Errno.Describe(e.Errno)}", e); }
    }

    private void MountPartition()
    {
        var partition = Host(Partition);
        string device;
        try { device = RealPath.Resolve(partition); }
        catch (NativeIOException e) { throw new DeployException($"s390x SE: resolving {partition}: {Errno.Describe(e.Errno)}", e); }
        try { Mount.Run(device, Host(MountPoint), "ext4", MountFlags.None); }
        catch (NativeIOException e) { throw new DeployException($"s390x SE: Mounting {device}: {Errno.Describe(e.Errno)}", e); }
    }

    /// <summary>The kernel, initrd (as "/boot" + the entry's paths) and options of the boot version's first entry.</summary>
    private (string Vmlinuz, string Initramfs, string Options) DefaultEntry(BootLoaderWrite write)
    {
        List<BootLoaderEntry> entries;
        try { entries = write.Entries(); }
        catch (DeployException e) { throw new DeployException($"s390x SE: loading bls configs: {e.Message}", e); }
        if (entries.Count == 0) throw new DeployException("s390x SE: no bls config");
        var entry = entries[0];
        var linux = entry.Linux ?? throw new DeployException("s390x SE: no \"linux\" key in bootloader config");
        var initrd = entry.Initrd ?? throw new DeployException("s390x SE: no \"initrd\" key in bootloader config");
        var options = entry.Options ?? throw new DeployException("s390x SE: no \"options\" key in bootloader config");
        return (BootFile(linux), BootFile(initrd), options);
    }

    /// <summary>g_build_filename("/boot", value): one separator between the two.</summary>
    private string BootFile(string value)
    {
        var rel = value.TrimStart('/');
        return rel.Length == 0 ? Host("boot") : Host("boot") + "/" + rel;
    }

    /// <summary>
    /// genprotimg -i KERNEL -r RAMDISK -p CMDLINE (-k KEY)… --no-verify -o /sysroot/se/sdboot, the
    /// options and the ramdisk given as anonymous files through <c>/proc/PID/fd/N</c>.
    /// </summary>
    private void GenerateSdboot(string vmlinuz, string initramfs, string options, IReadOnlyList<string> keys)
    {
        using var cmdline = OpenAnonymous("s390x SE: opening cmdline file");
        try { TmpFiles.Write(cmdline, System.Text.Encoding.UTF8.GetBytes(options), 0); }
        catch (NativeIOException e) { throw new DeployException($"s390x SE: writing cmdline file: {Errno.Describe(e.Errno)}", e); }
        using var ramdisk = SecureExecutionInitrd.Generate(this, initramfs);

        var args = new List<string> { "-i", vmlinuz, "-r", TmpFiles.ProcPath(ramdisk), "-p", TmpFiles.ProcPath(cmdline) };
        foreach (var key in keys) args.AddRange(["-k", key]);
        args.AddRange(["--no-verify", "-o", Host(BootImage)]);
        Spawn("genprotimg", args);
    }

    /// <summary>An unnamed read-write file in <see cref="TmpDir"/> (a named one unlinked at once where O_TMPFILE is missing).</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle OpenAnonymous(string context)
    {
        var dir = Host(TmpDir);
        try
        {
            if (TmpFiles.TryOpen(dir, 0x180) is { } anonymous) return anonymous;
            var path = Path.Join(dir, "tmp." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)));
            var named = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
            File.Delete(path);
            Files.FChmod(named, 0x180, path);
            return named;
        }
        catch (NativeIOException e) { throw new DeployException($"{context}: open(O_TMPFILE): {Errno.Describe(e.Errno)}", e); }
        catch (IOException e) { throw new DeployException($"{context}: {e.Message}", e); }
    }

    /// <summary>Runs PROG from $PATH with stdio inherited: "s390x SE: spawning PROG: …" or "s390x SE: `PROG` failed: …".</summary>
    private static void Spawn(string program, IReadOnlyList<string> args)
    {
        int code;
        try { code = ChildProcess.RunForExitCode(program, args, new Dictionary<string, string>(), quiet: false); }
        catch (DeployException e) { throw new DeployException($"s390x SE: spawning {program}: {e.Message}", e); }
        if (code != 0) throw new DeployException($"s390x SE: `{program}` failed: {ChildProcess.ExitText(code)}");
    }
}
