namespace Arbor.Deploy.Operations;

/// <summary>What <c>admin deploy</c> was asked to do (its flags, sysroot.md §8.1).</summary>
public sealed record DeployRequest
{
    /// <summary>The revision to deploy: a ref, <c>REMOTE:REF</c> or a checksum, resolved in the system repo.</summary>
    public required string Refspec { get; init; }

    /// <summary><c>--os</c>; required unless booted.</summary>
    public string? Stateroot { get; init; }

    /// <summary><c>--origin-file</c>'s contents; by default <c>[origin] refspec=REFSPEC</c>.</summary>
    public OriginFile? Origin { get; init; }

    public bool NoMerge { get; init; }

    /// <summary><c>--no-prune</c>: clean up afterwards but leave the system repo's objects alone.</summary>
    public bool NoPrune { get; init; }
    public bool Retain { get; init; }
    public bool RetainPending { get; init; }
    public bool RetainRollback { get; init; }
    public bool NotAsDefault { get; init; }

    /// <summary><c>--karg-none</c>: start from no kernel arguments.</summary>
    public bool KargsNone { get; init; }

    /// <summary><c>--karg-proc-cmdline</c>: start from this command line (the caller reads /proc/cmdline).</summary>
    public string? ProcCmdline { get; init; }

    /// <summary><c>--karg</c>: replace every argument with the key.</summary>
    public IReadOnlyList<string> Kargs { get; init; } = [];

    /// <summary><c>--karg-append</c>.</summary>
    public IReadOnlyList<string> KargsAppend { get; init; } = [];

    /// <summary><c>--karg-delete</c>.</summary>
    public string? KargDelete { get; init; }

    /// <summary><c>--overlay-initrd</c>: checksums of initrds already in the run directory's <c>ostree/staged-initrds</c>.</summary>
    public IReadOnlyList<string> OverlayInitrds { get; init; } = [];

    /// <summary><c>--stage</c>: finish the deployment at shutdown (<c>admin finalize-staged</c>).</summary>
    public bool Stage { get; init; }

    /// <summary><c>--lock-finalization</c> (with <c>--stage</c>): finalize-staged at shutdown leaves the staged deployment alone.</summary>
    public bool LockFinalization { get; init; }

    /// <summary>The flag combinations ostree refuses.</summary>
    public void Validate()
    {
        if (ProcCmdline is not null && KargsNone) throw new DeployException("Can't specify both --karg-proc-cmdline and --karg-none");
        if (KargsNone && KargDelete is not null) throw new DeployException("Can't specify both --karg-none and --karg-delete");
        if (NoMerge && KargDelete is not null) throw new DeployException("Can't specify both --no-merge and --karg-delete");
        if (Stage && (RetainPending || RetainRollback)) throw new DeployException("--stage cannot currently be combined with --retain arguments");
        if (Stage && NotAsDefault) throw new DeployException("--stage cannot currently be combined with --not-as-default");
    }

    /// <summary>
    /// The kernel arguments the new deployment gets, or null to inherit the merge deployment's
    /// unchanged: --karg-none and --karg-proc-cmdline start afresh; --karg, --karg-append and
    /// --karg-delete edit the merge deployment's (or nothing, on a first deploy).
    /// </summary>
    public KernelArgs? ComputeKernelArgs(Deployment? merge)
    {
        KernelArgs? kargs = null;
        if (KargsNone) kargs = new KernelArgs();
        else if (ProcCmdline is not null)
        {
            kargs = new KernelArgs();
            foreach (var a in ProcCmdline.TrimEnd(' ', '\t', '\n', '\r').Split(' '))
                if (!a.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal) && !a.StartsWith("initrd=", StringComparison.Ordinal)) kargs.Append(a);
        }
        else if (merge is not null && (Kargs.Count > 0 || KargsAppend.Count > 0 || KargDelete is not null))
            kargs = new KernelArgs((merge.BootConfig.Options ?? "").Split(' '));

        if (Kargs.Count > 0)
        {
            kargs ??= new KernelArgs();
            foreach (var a in Kargs) kargs.Replace(a);
        }
        if (KargsAppend.Count > 0)
        {
            kargs ??= new KernelArgs();
            foreach (var a in KargsAppend) kargs.Append(a);
        }
        if (KargDelete is not null) (kargs ?? new KernelArgs()).Delete(KargDelete);
        return kargs;
    }
}
