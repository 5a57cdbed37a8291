using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>
/// Mount namespaces: which one a process is in, and entering a private one. A mount namespace
/// belongs to a thread; a .NET process has several, so <see cref="ReexecInPrivateMountNamespace"/>
/// unshares on the calling thread and replaces the whole process image from it (execve keeps that
/// thread's namespaces and ends the others).
/// </summary>
internal static unsafe partial class Namespaces
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int execve(byte* path, byte** argv, byte** envp);

    public static void UnshareMounts() => Errno.Check(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)", null);

    /// <summary>The target of <c>/proc/PROCESS/ns/mnt</c> (<c>mnt:[4026531841]</c>), PROCESS a pid or <c>self</c>.</summary>
    public static string MountNamespaceOf(string process) => Files.ReadLink($"/proc/{process}/ns/mnt");

    /// <summary>
    /// unshare(CLONE_NEWNS), then execve(<paramref name="argv"/>[0], <paramref name="argv"/>, this
    /// process's environment plus <paramref name="extraEnvironment"/>). Returns only by throwing.
    /// </summary>
    public static void ReexecInPrivateMountNamespace(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = (string?)e.Value ?? "";
        foreach (var (k, v) in extraEnvironment) env[k] = v;
        var strings = new List<nint>();
        try
        {
            nint Alloc(string s) { var p = Marshal.StringToCoTaskMemUTF8(s); strings.Add(p); return p; }
            var args = new nint[argv.Count + 1];
            for (int i = 0; i < argv.Count; i++) args[i] = Alloc(argv[i]);
            var envp = new nint[env.Count + 1];
            int j = 0;
            foreach (var (k, v) in env) envp[j++] = Alloc($"{k}={v}");
            UnshareMounts();
            fixed (nint* a = args)
            fixed (nint* e = envp)
                execve((byte*)args[0], (byte**)a, (byte**)e);
            throw Errno.Error("execve", argv[0], Marshal.GetLastPInvokeError());
        }
        finally
        {
            foreach (var p in strings) Marshal.FreeCoTaskMem(p);
        }
    }
}
