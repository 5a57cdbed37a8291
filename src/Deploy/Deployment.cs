using Arbor.Deploy.BootLoader;
using Arbor.Repo.Core;

namespace Arbor.Deploy;

/// <summary>How a deployment's <c>/usr</c> is unlocked (<c>admin unlock</c>).</summary>
public enum UnlockedState
{
    None,
    Development,
    Hotfix,
    Transient,
}

/// <summary>
/// One deployment: a checked-out commit under <c>ostree/deploy/STATEROOT/deploy/CSUM.SERIAL</c>,
/// its kernel (<see cref="BootChecksum"/>), its boot loader entry and its origin (sysroot.md §2–3).
/// Identity is (stateroot, commit, deploy serial), as <c>ostree_deployment_equal</c>.
/// </summary>
public sealed record Deployment
{
    public required string Stateroot { get; init; }
    public required Checksum Commit { get; init; }
    public required int DeploySerial { get; init; }

    /// <summary>SHA-256 of the kernel, initramfs and device tree (the <c>ostree/STATEROOT-BOOTCSUM</c> directory).</summary>
    public required string BootChecksum { get; init; }

    /// <summary>Numbers deployments that share <see cref="BootChecksum"/>, in list order.</summary>
    public int BootSerial { get; init; }

    /// <summary>Position in the deployment list (0 = default), or -1 before it is placed.</summary>
    public int Index { get; init; } = -1;

    /// <summary>The boot loader entry; for a new deployment only <c>options</c> may be set.</summary>
    public BootLoaderEntry BootConfig { get; init; } = new();

    public OriginFile? Origin { get; init; }
    public bool IsStaged { get; init; }
    public UnlockedState Unlocked { get; init; }

    /// <summary>Overlay initrd checksums (the basenames of the extra <c>initrd</c> lines, without <c>.img</c>).</summary>
    public IReadOnlyList<string> OverlayInitrds { get; init; } = [];

    public bool IsPinned => Origin?.IsPinned ?? false;

    /// <summary><c>CSUM.SERIAL</c>.</summary>
    public string Name => SysrootLayout.DeploymentName(Commit, DeploySerial);

    /// <summary>Relative to the sysroot.</summary>
    public string RelativePath => SysrootLayout.DeploymentDir(Stateroot, Commit, DeploySerial);
    public string OriginRelativePath => SysrootLayout.OriginFile(Stateroot, Commit, DeploySerial);

    /// <summary>The kernel arguments of the boot entry.</summary>
    public KernelArgs KernelArgs => KernelArgs.Parse(BootConfig.Options);

    /// <summary>Same stateroot, commit and deploy serial.</summary>
    public bool SameAs(Deployment? other) =>
        other is not null && Stateroot == other.Stateroot && Commit == other.Commit && DeploySerial == other.DeploySerial;

    public override string ToString() => $"{Stateroot} {Name}";
}
