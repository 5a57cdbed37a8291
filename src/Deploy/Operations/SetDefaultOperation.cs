namespace Arbor.Deploy.Operations;

/// <summary><c>admin set-default INDEX</c> and <c>admin rollback</c>: reorder, write, clean up.</summary>
public static class SetDefaultOperation
{
    public static WriteDeployments.Result? SetDefault(Sysroot sysroot, int index, Action<string>? journal = null)
    {
        using var l = sysroot.Lock();
        var set = sysroot.Load();
        return WriteDeployments.Run(sysroot, set, DeploymentList.MoveToFront(set, index), journal);
    }

    public static WriteDeployments.Result? Rollback(Sysroot sysroot, Action<string>? journal = null)
    {
        using var l = sysroot.Lock();
        var set = sysroot.Load();
        return WriteDeployments.Run(sysroot, set, DeploymentList.Rollback(set), journal);
    }
}
