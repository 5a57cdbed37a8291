using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// Where a deployment's kernel, initramfs, device tree and HMAC are, what they are called once
/// installed in <c>boot/ostree/STATEROOT-BOOTCSUM/</c>, and the boot checksum (sysroot.md §4).
/// Source paths are relative to <see cref="SourceDir"/>; a null <see cref="DevicetreeName"/> with
/// a source means a whole <c>dtb/</c> directory (<c>fdtdir</c>).
/// </summary>
public sealed record KernelLayout
{
    public required string SourceDir { get; init; }
    public required string KernelSource { get; init; }
    public required string KernelName { get; init; }
    public string? InitramfsSource { get; init; }
    public string? InitramfsName { get; init; }
    public string? DevicetreeSource { get; init; }
    public string? DevicetreeName { get; init; }
    public string? HmacSource { get; init; }
    public string? HmacName { get; init; }
    public required string BootChecksum { get; init; }

    public const string NotFoundMessage = "Failed to find kernel in /usr/lib/modules, /usr/lib/ostree-boot or /boot";

    /// <summary>
    /// Finds the kernel in a deployment tree: the <c>usr/lib/modules/KVER</c> layout, unless it has
    /// no initramfs while the legacy layout (<c>usr/lib/ostree-boot</c> or <c>boot</c>) has one.
    /// </summary>
    /// <paramref name="noDtb"/> (ostree's <c>no-dtb</c> debug switch) ignores device trees in the modules layout.
    public static KernelLayout Find(string deploymentDir, bool noDtb = false)
    {
        var modules = FromModules(deploymentDir, noDtb);
        var legacy = FromLegacy(deploymentDir);
        if (legacy is null) return modules ?? throw new DeployException(NotFoundMessage);
        if (modules is not null && modules.InitramfsSource is null && legacy.InitramfsSource is not null) return legacy;
        return modules ?? legacy;
    }

    /// <summary>The first <c>usr/lib/modules/KVER/</c> (directory order) holding a regular file <c>vmlinuz</c>.</summary>
    public static KernelLayout? FromModules(string deploymentDir, bool noDtb = false)
    {
        var modules = Path.Join(deploymentDir, "usr/lib/modules");
        if (!Directory.Exists(modules) || Files.TryLStat(modules) is not { IsDirectory: true }) return null;
        foreach (var dir in Directory.EnumerateFileSystemEntries(modules))
        {
            if (Files.TryLStat(dir) is not { IsDirectory: true }) continue;
            if (Files.TryStat(Path.Join(dir, "vmlinuz")) is not { IsRegular: true }) continue;
            return FromModuleDir(dir, Path.GetFileName(dir), noDtb);
        }
        return null;
    }

    private static KernelLayout FromModuleDir(string dir, string kver, bool noDtb)
    {
        using var sum = new BootChecksum();
        sum.AppendFile(Path.Join(dir, "vmlinuz"));

        string? initramfs = null;
        foreach (var candidate in new[] { "initramfs.img", "initramfs" })
        {
            if (File.Exists(Path.Join(dir, candidate))) { initramfs = candidate; break; }
        }
        if (initramfs is not null) sum.AppendFile(Path.Join(dir, initramfs));

        string? dtSource = null, dtName = null;
        if (noDtb) { }
        else if (Files.TryStat(Path.Join(dir, "devicetree")) is not null)
        {
            dtSource = "devicetree";
            dtName = $"devicetree-{kver}";
            sum.AppendFile(Path.Join(dir, dtSource));
        }
        else if (Files.TryStat(Path.Join(dir, "dtb")) is { IsDirectory: true })
        {
            dtSource = "dtb";
            sum.AppendDirectory(Path.Join(dir, "dtb"));
        }

        bool hmac = Files.TryStat(Path.Join(dir, ".vmlinuz.hmac")) is not null;
        return new KernelLayout
        {
            SourceDir = dir,
            KernelSource = "vmlinuz",
            KernelName = $"vmlinuz-{kver}",
            InitramfsSource = initramfs,
            InitramfsName = initramfs is null ? null : $"initramfs-{kver}.img",
            DevicetreeSource = dtSource,
            DevicetreeName = dtName,
            HmacSource = hmac ? ".vmlinuz.hmac" : null,
            HmacName = hmac ? $".vmlinuz-{kver}.hmac" : null,
            BootChecksum = sum.FinishHex(),
        };
    }

    /// <summary>
    /// <c>usr/lib/ostree-boot/</c>, else <c>boot/</c>: files <c>vmlinuz-*-CSUM</c>,
    /// <c>initramfs-*-CSUM</c>, <c>devicetree-*-CSUM</c>; the boot checksum is the kernel's CSUM.
    /// </summary>
    public static KernelLayout? FromLegacy(string deploymentDir)
    {
        string? dir = null;
        foreach (var candidate in new[] { "usr/lib/ostree-boot", "boot" })
        {
            var p = Path.Join(deploymentDir, candidate);
            if (Directory.Exists(p)) { dir = p; break; }
        }
        if (dir is null) return null;

        string? kernel = null, kernelSum = null, initramfs = null, initramfsSum = null, dt = null, dtSum = null;
        foreach (var path in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(path);
            if (kernel is null && name.StartsWith("vmlinuz-", StringComparison.Ordinal))
            {
                if (TrailingChecksum(name) is { } c) { kernel = name; kernelSum = c; }
            }
            else if (initramfs is null && name.StartsWith("initramfs-", StringComparison.Ordinal))
            {
                if (TrailingChecksum(name) is { } c) { initramfs = name; initramfsSum = c; }
            }
            else if (dt is null && name.StartsWith("devicetree-", StringComparison.Ordinal))
            {
                if (TrailingChecksum(name) is { } c) { dt = name; dtSum = c; }
            }
            if (kernel is not null && initramfs is not null && dt is not null) break;
        }
        if (kernel is null) return null;
        if (initramfs is not null && initramfsSum != kernelSum) throw new DeployException("Mismatched kernel checksum vs initrd");
        if (dt is not null && dtSum != kernelSum) throw new DeployException("Mismatched kernel checksum vs device tree in tree");
        return new KernelLayout
        {
            SourceDir = dir,
            KernelSource = kernel,
            KernelName = kernel[..kernel.LastIndexOf('-')],
            InitramfsSource = initramfs,
            InitramfsName = initramfs?[..initramfs.LastIndexOf('-')],
            DevicetreeSource = dt,
            DevicetreeName = dt?[..dt.LastIndexOf('-')],
            BootChecksum = kernelSum!,
        };
    }

    private static string? TrailingChecksum(string name)
    {
        var tail = name[(name.LastIndexOf('-') + 1)..];
        return Checksum.TryParse(tail, out _) && tail.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? tail : null;
    }
}
