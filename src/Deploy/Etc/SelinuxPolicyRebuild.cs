using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.Etc;

/// <summary>
/// After an /etc merge, a tree with <c>etc/selinux/config</c> gets its policy store brought up to
/// date as ostree 2022.7's sysroot_finalize_selinux_policy does: the deployment's own
/// <c>semodule -N --rebuild-if-modules-changed</c> runs inside it (through <see cref="DeploymentSandbox"/>),
/// unless its <c>semodule --help</c> does not know that flag. The policy may be disabled: ostree
/// only looks for the file.
/// </summary>
public static class SelinuxPolicyRebuild
{
    private const string Flag = "--rebuild-if-modules-changed";

    /// <summary>
    /// Runs the rebuild for the deployment at <paramref name="deploymentDir"/>; semodule's output
    /// lines go to <paramref name="outputLine"/> and <paramref name="errorLine"/> (its <c>--help</c>
    /// text is only read). A failure is a <see cref="DeployException"/> in GLib's words.
    /// </summary>
    public static void Run(string deploymentDir, Action<string>? outputLine, Action<string>? errorLine)
    {
        if (Files.TryLStat(Path.Join(deploymentDir, "etc/selinux/config")) is null) return;

        var (code, help) = DeploymentSandbox.Run(deploymentDir, ["semodule", "--help"], captureOutput: true, null, errorLine);
        if (code != 0) throw new DeployException($"failed to run semodule: {ChildProcess.ExitText(code)}");
        // ostree only notes this in the journal
        if (!help.Contains(Flag, StringComparison.Ordinal)) return;

        (code, _) = DeploymentSandbox.Run(deploymentDir, ["semodule", "-N", Flag], captureOutput: false, outputLine, errorLine);
        if (code != 0) throw new DeployException(ChildProcess.ExitText(code));
    }
}
