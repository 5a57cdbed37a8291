namespace Arbor.Boot;

/// <summary>
/// Everything the mount plan depends on, gathered once by <see cref="SysrootProbe"/> (or written by
/// hand in tests), so that <see cref="MountPlan.Build"/> stays a pure function.
/// </summary>
internal sealed record SysrootFacts(
    DeploymentTarget Target,
    bool ReadOnlySysroot,
    bool BootOnPhysicalRoot,
    bool DeploymentHasBootDirectory,
    bool UsrOverlay,
    bool DeploymentOnReadOnlyFilesystem,
    bool MountVar,
    string RunDirectory)
{
    public const string DefaultRunDirectory = "/run";
    public const string RunDirectoryVariable = "ARBOR_BOOT_RUN_DIR";

    public string Sysroot => Target.Sysroot;
    public string Deployment => Target.Path;
}
