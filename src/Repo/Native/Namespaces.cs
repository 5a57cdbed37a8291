using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>
/// Mount namespaces: which one a process is in, and entering a private one. A mount namespace
/// belongs to a thread; a .NET process has several, so <see cref="ReexecInPrivateMountNamespace"/>
/// unshares on the calling thread and replaces the whole process image from it (execve keeps that
/// thread's namespaces and ends the others).
/// </summary>
internal static class Namespaces
{
    public static void UnshareMounts() => Errno.Check(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)", null);

    /// <summary>The target of <c>/proc/PROCESS/ns/mnt</c> (<c>mnt:[4026531841]</c>), PROCESS a pid or <c>self</c>.</summary>
    public static string MountNamespaceOf(string process) => Files.ReadLink($"/proc/{process}/ns/mnt");

    /// <summary>
    /// unshare(CLONE_NEWNS), then execve(<paramref name="argv"/>[0], <paramref name="argv"/>, this
    /// process's environment plus <paramref name="extraEnvironment"/>). Returns only by throwing.
    /// </summary>
    public static void ReexecInPrivateMountNamespace(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> extraEnvironment) =>
        ProcessImage.Replace(argv[0], argv, extraEnvironment, UnshareMounts);
}
