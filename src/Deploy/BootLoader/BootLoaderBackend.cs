namespace Arbor.Deploy.BootLoader;

/// <summary>
/// A boot loader whose own configuration ostree writes besides the BLS entries (ostree's
/// OstreeBootloader): detected from the sysroot or named by <c>sysroot.bootloader</c>
/// (<see cref="BootLoaderDetection"/>), and asked to write the new boot version's configuration
/// after its entries and before the <c>boot/loader</c> swap, then to act on it after the swap.
/// </summary>
public abstract class BootLoaderBackend
{
    /// <summary>ostree's name for it (the journal's OSTREE_BOOTLOADER).</summary>
    public abstract string Name { get; }

    /// <summary>False when writing the configuration replaces a live file (GRUB on an EFI partition).</summary>
    public virtual bool IsAtomic => true;

    /// <summary>Writes (and syncs) the configuration for <paramref name="write"/>'s boot version.</summary>
    public abstract void WriteConfig(BootLoaderWrite write);

    /// <summary>
    /// After <c>boot/loader</c> points at the new boot version (ostree's post_bls_sync): what must
    /// see the final entries, such as running zipl. Nothing by default.
    /// </summary>
    public virtual void PostBlsSync(BootLoaderWrite write) { }
}

/// <param name="Sysroot">The sysroot being written.</param>
/// <param name="BootVersion">The new boot version, whose <c>boot/loader.N/entries</c> are complete.</param>
/// <param name="Deployments">The new deployment list, default first.</param>
/// <param name="Booted">The sysroot is the running system (ostree then runs grub-mkconfig without a chroot, and zipl at all).</param>
public sealed record BootLoaderWrite(Sysroot Sysroot, int BootVersion, IReadOnlyList<Deployment> Deployments, bool Booted)
{
    /// <summary>The new boot version's entries, sorted as ostree reads them.</summary>
    public List<BootLoaderEntry> Entries() => SysrootLoader.ReadEntries(Sysroot.Path, BootVersion);

    /// <summary><c>boot/loader.N/NAME</c> on the host.</summary>
    public string LoaderFile(string name) => Sysroot.FullPath($"{SysrootLayout.LoaderDir(BootVersion)}/{name}");
}
