using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>unshare(CLONE_NEWNS): a private mount namespace for the calling thread's process.</summary>
internal static class Namespaces
{
    public static void UnshareMounts() => Errno.Check(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)", null);
}
