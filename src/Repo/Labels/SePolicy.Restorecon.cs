using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Repo.Labels;

public sealed partial class SePolicy
{
    /// <summary>
    /// ostree_sepolicy_restorecon with ALLOW_NOLABEL: gives <paramref name="target"/> (not followed)
    /// the policy's label of <paramref name="path"/> for the full st_mode <paramref name="mode"/>,
    /// through libselinux's <c>lsetfilecon</c>. With <paramref name="keepExisting"/> a file that
    /// already carries a label is left alone. Returns the label set, or null when none was.
    /// </summary>
    public string? Restorecon(string path, string target, uint mode, bool keepExisting)
    {
        if (keepExisting && SeLinux.HasFileContext(target)) return null;
        if (Label(path, mode) is not { } label) return null;
        int e = SeLinux.TrySetFileContext(target, label);
        if (e != 0) throw new RepoException($"lsetfilecon: {Errno.Describe(e)}");
        return label;
    }
}
