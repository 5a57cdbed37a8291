using Arbor.Repo.Checkout;
using System.Globalization;
using System.Text;
using Arbor.Deploy.IO;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// Writes a new boot version's loader entries (sysroot.md §5, §7 step 3.1): for each deployment
/// its kernel, initramfs, device tree and HMAC are installed into <c>boot/ostree/STATEROOT-BOOTCSUM/</c>
/// (hardlinked when possible, only if missing) and <c>boot/loader.N/entries/ostree-K-STATEROOT.conf</c>
/// is written from the deployment's entry with title, version, options and paths regenerated.
/// </summary>
public static class BootLoaderEntries
{
    public static void Write(Sysroot sysroot, int bootversion, IReadOnlyList<Deployment> deployments, BootLoaderConfig config)
    {
        var entriesDir = sysroot.FullPath(SysrootLayout.EntriesDir(bootversion));
        TreeRemoval.RemoveTree(entriesDir);
        FsUtil.EnsureDirectory(entriesDir, 0x1ED);
        bool showStateroot = deployments.Skip(1).Any(d => d.Stateroot != deployments[0].Stateroot);
        foreach (var d in deployments)
        {
            try { Install(sysroot, bootversion, d, deployments.Count, showStateroot, config); }
            catch (DeployException e) { throw new DeployException($"Installing kernel: {e.Message}", e); }
            catch (IOException e) { throw new DeployException($"Installing kernel: {e.Message}", e); }
        }
    }

    private static void Install(Sysroot sysroot, int bootversion, Deployment d, int count, bool showStateroot, BootLoaderConfig config)
    {
        var deploymentDir = sysroot.DeploymentPath(d);
        var layout = KernelLayout.Find(deploymentDir, sysroot.Options.Debug.NoDtb);
        var kernelDirRel = SysrootLayout.KernelDirInBoot(d.Stateroot, d.BootChecksum);
        var kernelDir = sysroot.FullPath(SysrootLayout.KernelDir(d.Stateroot, d.BootChecksum));
        FsUtil.EnsureDirectory(kernelDir, 0x1FD);
        FsUtil.EnsureDirectory(sysroot.FullPath(SysrootLayout.EntriesDir(bootversion)), 0x1FD);

        InstallIfMissing(layout.SourceDir, layout.KernelSource, kernelDir, layout.KernelName);
        if (layout.InitramfsSource is not null) InstallIfMissing(layout.SourceDir, layout.InitramfsSource, kernelDir, layout.InitramfsName!);
        if (layout.DevicetreeSource is not null)
        {
            if (layout.DevicetreeName is not null) InstallIfMissing(layout.SourceDir, layout.DevicetreeSource, kernelDir, layout.DevicetreeName);
            else FileCopy.CopyTree(Path.Join(layout.SourceDir, layout.DevicetreeSource), Path.Join(kernelDir, layout.DevicetreeSource),
                xattrs: !sysroot.Options.Debug.NoXattrs);
        }
        if (layout.HmacSource is not null) InstallIfMissing(layout.SourceDir, layout.HmacSource, kernelDir, layout.HmacName!);

        var overlayPaths = new List<string>();
        foreach (var csum in d.OverlayInitrds) overlayPaths.Add(OverlayInitrds.Install(sysroot, csum));

        var entry = d.BootConfig.Clone();
        entry.Title = Title(deploymentDir, CommitVersion(sysroot.Repo, d.Commit), d.Stateroot, d.Index, showStateroot);
        entry.Version = (count - d.Index).ToString(CultureInfo.InvariantCulture);
        entry.Linux = $"/{kernelDirRel}/{layout.KernelName}";

        var kargs = KernelArgs.Parse(entry.Options);
        var bootlink = SysrootLayout.OstreeKarg(bootversion, d.Stateroot, d.BootChecksum, d.BootSerial);
        if (layout.InitramfsName is not null)
        {
            entry.Initrd = $"/{kernelDirRel}/{layout.InitramfsName}";
            if (overlayPaths.Count > 0) entry.SetOverlayInitrds(overlayPaths);
        }
        else
        {
            kargs.Replace($"init={bootlink}/usr/lib/ostree/ostree-prepare-root");
        }
        if (layout.DevicetreeName is not null) entry.Set("devicetree", $"/{kernelDirRel}/{layout.DevicetreeName}");
        else if (layout.DevicetreeSource is not null) entry.Set("fdtdir", $"/{kernelDirRel}/{layout.DevicetreeSource}");
        kargs.Replace($"ostree={bootlink}");
        entry.Options = kargs.ToString();

        if (d.Index != 0)
            foreach (var (k, v) in config.BlsAppendExceptDefault) entry.Set(k, v);

        var name = SysrootLayout.EntryFileName(count - d.Index, d.Stateroot);
        FsUtil.ReplaceFile(Path.Join(sysroot.FullPath(SysrootLayout.EntriesDir(bootversion)), name), entry.Format());
    }

    /// <summary>
    /// os-release PRETTY_NAME (else ID), the commit version unless already in it, and
    /// <c>(ostree[:STATEROOT]:INDEX)</c>.
    /// </summary>
    public static string Title(string deploymentDir, string? version, string stateroot, int index, bool showStateroot)
    {
        var (text, shown) = ReadOsRelease(deploymentDir);
        var values = OsRelease.Parse(text);
        if (!values.TryGetValue("PRETTY_NAME", out var name) && !values.TryGetValue("ID", out name))
            throw new DeployException($"No PRETTY_NAME or ID in {shown}");
        var sb = new StringBuilder(name);
        if (!string.IsNullOrEmpty(version) && !name.Contains(version, StringComparison.Ordinal)) sb.Append(' ').Append(version);
        sb.Append(" (ostree");
        if (showStateroot) sb.Append(':').Append(stateroot);
        sb.Append(':').Append(index.ToString(CultureInfo.InvariantCulture)).Append(')');
        return sb.ToString();
    }

    private static (string Text, string Shown) ReadOsRelease(string deploymentDir)
    {
        var usrLib = RootedPath.Resolve(deploymentDir, "usr/lib/os-release");
        if (usrLib is not null && File.Exists(usrLib)) return (File.ReadAllText(usrLib), "/etc/os-release");
        var etc = RootedPath.Resolve(deploymentDir, "etc/os-release");
        if (etc is null || !File.Exists(etc)) throw new DeployException("Reading /etc/os-release: No such file or directory");
        return (File.ReadAllText(etc), "/etc/os-release");
    }

    /// <summary>The commit's <c>version</c> metadata, or null when absent or unreadable.</summary>
    public static string? CommitVersion(Repository repo, Checksum commit)
    {
        try { return repo.LoadCommit(commit).Version; }
        catch (RepoException) { return null; }
    }

    /// <summary>install_into_boot: hardlink, or copy (owner and mode kept) across filesystems.</summary>
    private static void InstallIfMissing(string sourceDir, string sourceName, string destDir, string destName)
    {
        var dest = Path.Join(destDir, destName);
        if (Files.TryStat(dest) is not null) return;
        var source = Path.Join(sourceDir, sourceName);
        int e = Links.TryLink(source, dest);
        if (e == 0) return;
        if (e is not (Errno.EXDEV or Errno.EMLINK)) throw new DeployException($"linkat({destName}): {Errno.Describe(e)}");
        // ostree's glnx_regfile_copy_bytes error: "regfile copy: " and the errno text, no path
        try { FileCopy.CopyEntry(source, dest, overwrite: false, keepMtime: false); }
        catch (NativeIOException x) { throw new DeployException($"regfile copy: {Errno.Describe(x.Errno)}", x); }
        catch (IOException x) when (x.HResult > 0 && x.HResult < 4096) { throw new DeployException($"regfile copy: {Errno.Describe(x.HResult)}", x); }
    }
}
