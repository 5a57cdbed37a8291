using System.Diagnostics;

namespace Arbor.Deploy.Operations;

/// <summary>
/// Named points in the operations that write a sysroot. When the environment variable
/// <c>ARBOR_ABORT_AT</c> names one, the process kills itself there with SIGKILL — no cleanup,
/// no finally blocks — which is how the crash-safety tests interrupt deploy, undeploy and cleanup
/// at every step. Unset (always, outside those tests), a point costs one string comparison.
/// </summary>
public static class CrashPoint
{
    public const string EnvironmentVariable = "ARBOR_ABORT_AT";

    private static readonly string? Target = Environment.GetEnvironmentVariable(EnvironmentVariable);

    /// <summary>Every point a deploy can reach, in order (for the tests' tables).</summary>
    public static readonly string[] All =
    [
        Names.DeploymentCheckedOut, Names.EtcPrepared, Names.EtcMerged, Names.DeploymentSealed,
        Names.BootLinksCreated, Names.BootLinksSwapped, Names.EntriesWritten, Names.BootLoaderConfigWritten, Names.LoaderLinkPrepared,
        Names.BeforeLoaderSwap, Names.LoaderSwapped, Names.DeploymentsWritten,
        Names.CleanupBootVersions, Names.CleanupDeployment, Names.CleanupBootDir, Names.CleanupRefs,
    ];

    /// <summary>The points only staging and finalize-staged reach.</summary>
    public static readonly string[] Staging = [Names.DeploymentStaged, Names.StagedStateRemoved];

    public static class Names
    {
        /// <summary>Mid-checkout of a deployment tree: some of it written, under its final name. Only a real kill
        /// (the variable) means something here: the in-process hook's exception would be cleaned up after.</summary>
        public const string CheckingOut = "checking-out";
        public const string DeploymentCheckedOut = "deployment-checked-out";
        public const string EtcPrepared = "etc-prepared";
        public const string EtcMerged = "etc-merged";
        public const string DeploymentSealed = "deployment-sealed";
        public const string BootLinksCreated = "bootlinks-created";
        public const string BootLinksSwapped = "bootlinks-swapped";
        public const string EntriesWritten = "entries-written";
        /// <summary>The detected boot loader's configuration (syslinux.cfg, uEnv.txt, grub.cfg) is written; only with one.</summary>
        public const string BootLoaderConfigWritten = "bootloader-config-written";
        public const string LoaderLinkPrepared = "loader-link-prepared";
        public const string BeforeLoaderSwap = "before-loader-swap";
        public const string LoaderSwapped = "loader-swapped";
        public const string DeploymentsWritten = "deployments-written";
        public const string CleanupBootVersions = "cleanup-bootversions";
        public const string CleanupDeployment = "cleanup-deployment";
        public const string CleanupBootDir = "cleanup-bootdir";
        public const string CleanupRefs = "cleanup-refs";
        public const string DeploymentStaged = "deployment-staged";
        public const string StagedStateRemoved = "staged-state-removed";
    }

    private static readonly AsyncLocal<Action<string>?> Hook = new();

    /// <summary>
    /// For in-process tests: called at every point reached by the current async flow (throwing
    /// from it abandons the operation there, leaving the disk as a kill would).
    /// </summary>
    internal static Action<string>? TestHook
    {
        get => Hook.Value;
        set => Hook.Value = value;
    }

    public static void Hit(string name)
    {
        Hook.Value?.Invoke(name);
        if (Target is not null && Target == name) Process.GetCurrentProcess().Kill();
    }
}
