using Arbor.Repo.Native;

namespace Arbor.Boot;

/// <summary>
/// The ordered mount steps that turn the physical root at SYSROOT into the chosen deployment
/// (boot-stage.md §3), each with its reason. Pure: built from <see cref="SysrootFacts"/>, printed by
/// <see cref="PlanWriter"/>, run by <see cref="MountExecutor"/>. All paths are absolute (no chdir):
/// after the three moves they are spelled where the mounts then are.
/// </summary>
internal sealed class MountPlan
{
    public const string BootedStamp = "ostree-booted";
    public const string ReadOnlyStamp = "ostree-sysroot-ro.stamp";
    public const uint BootedStampMode = 0x1A0;   // 0640, as ostree-prepare-root
    public const uint ReadOnlyStampMode = 0x1A4; // 0644
    public const uint TemporaryDirMode = 0x1ED;  // 0755

    public SysrootFacts Facts { get; }
    public IReadOnlyList<MountStep> Steps { get; }

    private MountPlan(SysrootFacts facts, IReadOnlyList<MountStep> steps)
    {
        Facts = facts;
        Steps = steps;
    }

    /// <summary>Where the deployment waits between the moves: SYSROOT.tmp beside SYSROOT (ostree: /sysroot.tmp).</summary>
    public static string TemporaryPath(string sysroot) => sysroot == "/" ? "/sysroot.tmp" : sysroot + ".tmp";

    public static MountPlan Build(SysrootFacts f)
    {
        var steps = new List<MountStep>();
        string root = f.Sysroot, deploy = f.Deployment, run = f.RunDirectory.TrimEnd('/');
        string var = f.Target.StaterootVar;
        string tmp = TemporaryPath(root);
        const MountFlags S = MountFlags.Silent;

        void Add(MountOperation op, string? source, string target, MountFlags flags, string reason, string? data = null, uint mode = 0) =>
            steps.Add(new MountStep(op, source, target, flags, data, mode, reason));

        Add(MountOperation.MakePrivate, null, "/", MountFlags.Recursive | MountFlags.Private | S,
            "make every mount private: the kernel refuses to move a mount whose parent is shared");
        Add(MountOperation.Bind, deploy, deploy, MountFlags.Bind | S,
            "bind the deployment onto itself so that it is a mount point that can be moved");
        if (f.ReadOnlySysroot)
            Add(MountOperation.WriteFile, null, $"{run}/{ReadOnlyStamp}", MountFlags.None,
                "sysroot.readonly=true: tell arbor-remount/ostree-remount to keep /sysroot read-only", mode: ReadOnlyStampMode);
        if (f.BootOnPhysicalRoot && f.DeploymentHasBootDirectory)
            Add(MountOperation.Bind, $"{root}/boot", $"{deploy}/boot", MountFlags.Bind | S,
                "boot/loader is a symlink on the physical root: /boot lives there, not on its own partition");
        if (f.ReadOnlySysroot)
        {
            Add(MountOperation.Bind, $"{deploy}/etc", $"{deploy}/etc", MountFlags.Bind | S,
                "sysroot.readonly=true: /etc gets its own mount so it stays writable");
            Add(MountOperation.RemountBind, null, $"{deploy}/etc", MountFlags.Bind | MountFlags.Remount | S,
                "sysroot.readonly=true: the /etc bind is read-write");
        }
        if (f.UsrOverlay)
        {
            if (f.DeploymentOnReadOnlyFilesystem)
                Add(MountOperation.Remount, null, deploy, MountFlags.Remount | S,
                    "the deployment is on a read-only filesystem; the /usr overlay needs it writable");
            Add(MountOperation.Overlay, "overlay", $"{deploy}/usr", MountFlags.None,
                ".usr-ovl-work exists: persistent /usr overlay (hotfix unlock)",
                data: $"lowerdir={deploy}/usr,upperdir={deploy}/.usr-ovl-upper,workdir={deploy}/.usr-ovl-work");
        }
        else
        {
            Add(MountOperation.Bind, $"{deploy}/usr", $"{deploy}/usr", MountFlags.Bind | S,
                "bind /usr onto itself so that it can be made read-only");
            Add(MountOperation.RemountBind, null, $"{deploy}/usr", MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | S,
                "/usr is read-only: the OS content is immutable");
        }
        if (f.ReadOnlySysroot)
        {
            Add(MountOperation.Bind, var, var, MountFlags.Bind | S,
                "sysroot.readonly=true: the stateroot's var gets its own mount");
            Add(MountOperation.RemountBind, null, var, MountFlags.Bind | MountFlags.Remount | S,
                "sysroot.readonly=true: the var mount stays read-write when the sysroot becomes read-only");
        }
        if (f.MountVar)
            Add(MountOperation.Bind, var, $"{deploy}/var", MountFlags.Bind | S,
                "the stateroot's var is the deployment's /var (here, so it works with and without systemd)");
        Add(MountOperation.WriteFile, null, $"{run}/{BootedStamp}", MountFlags.None,
            "the flag every ostree/arbor tool checks: booted via a deployment", mode: BootedStampMode);
        Add(MountOperation.MakeDirectory, null, tmp, MountFlags.None,
            "a place for the deployment while the physical root moves under it", mode: TemporaryDirMode);
        Add(MountOperation.Move, deploy, tmp, MountFlags.Move,
            "move the deployment out of the physical root");
        Add(MountOperation.Move, root, $"{tmp}/sysroot", MountFlags.Move,
            "the physical root becomes the deployment's /sysroot");
        Add(MountOperation.Move, tmp, root, MountFlags.Move,
            "the deployment takes the physical root's place: switch-root enters it");
        Add(MountOperation.RemoveDirectory, null, tmp, MountFlags.None,
            "the temporary mount point is empty again");
        var physical = root == "/" ? "/sysroot" : $"{root}/sysroot";
        if (f.ReadOnlySysroot)
            Add(MountOperation.RemountBind, null, physical, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | S,
                "sysroot.readonly=true: the physical root is read-only");
        Add(MountOperation.MakePrivate, null, physical, MountFlags.Private | S,
            "no propagation from the physical root (e.g. mounts under /var)");
        return new MountPlan(f, steps);
    }
}
