namespace Arbor.Deploy.Operations;

/// <summary><c>admin undeploy INDEX</c>: the list without it, written, then cleaned up.</summary>
public static class UndeployOperation
{
    /// <returns>The removed deployment.</returns>
    public static Deployment Run(Sysroot sysroot, int index, Action<string>? journal = null, Action? onLockWait = null)
    {
        using var l = sysroot.Lock(onLockWait);
        var set = sysroot.Load();
        var target = set.At(index);
        var list = DeploymentList.Remove(set, index);
        WriteDeployments.Run(sysroot, set, list, journal);
        return target;
    }
}
