using Arbor.Deploy.IO;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin pin [-u] INDEX</c>: sets or removes <c>[libostree-transient] pinned=true</c> in the
/// origin file (replaced atomically); no boot configuration changes.
/// </summary>
public static class PinOperation
{
    /// <returns>False when the deployment already was in the wanted state.</returns>
    public static bool SetPinned(Sysroot sysroot, DeploymentSet set, int index, bool pinned)
    {
        var d = set.At(index);
        if (d.IsPinned == pinned) return false;
        if (d.IsStaged) throw new DeployException("Cannot pin staged deployment");
        var origin = d.Origin?.Clone() ?? OriginFile.Parse("");
        origin.SetPinned(pinned);
        FsUtil.ReplaceFile(sysroot.FullPath(d.OriginRelativePath), origin.ToString(), fsync: true);
        FsUtil.Touch(sysroot.FullPath(SysrootLayout.Deploy));
        return true;
    }
}
